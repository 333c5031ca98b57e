package io.yolomode.registration.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import lombok.extern.slf4j.Slf4j;

/**
 * Stops the PostgreSQL that a service process killed with {@code kill -9} (or crashed)
 * left running on its data folder. Only called once this process owns the folder
 * ({@link DataFolderOwner}), so a postmaster still named in {@code postmaster.pid}
 * belongs to nobody. It is stopped the way {@code pg_ctl stop -m fast} does (with the
 * {@code pg_ctl} beside its own binary when there is one): a clean shutdown, after which
 * the next start is an ordinary one; a postmaster that had itself died is left to
 * PostgreSQL's own crash recovery.
 */
@Slf4j
final class OrphanedPostgres {

    private OrphanedPostgres() {
    }

    static void stopIfRunning(Path dataDirectory, String previousOwner, Duration wait) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        Optional<ProcessHandle> postmaster = postmaster(pidFile);
        if (postmaster.isEmpty()) {
            return;
        }
        ProcessHandle process = postmaster.get();
        String left = previousOwner.isEmpty() ? "a service process that is gone"
                : "the service process that is gone (" + previousOwner.strip() + ")";
        log.warn("The embedded PostgreSQL (pid {}) on {} was left running by {}: stopping it before starting again",
                process.pid(), dataDirectory, left);
        if (!stopWithPgCtl(process, dataDirectory, wait)) {
            // SIGTERM: a smart shutdown, enough here since the dead process's sessions
            // are gone with it.
            process.destroy();
        }
        try {
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            log.info("The orphaned PostgreSQL (pid {}) has stopped", process.pid());
        }
        catch (TimeoutException | ExecutionException ex) {
            throw new IllegalStateException("The PostgreSQL (pid " + process.pid() + ") left running on "
                    + dataDirectory + " did not stop within " + wait + "; stop it (pg_ctl -D " + dataDirectory
                    + " stop -m fast) and start again", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the orphaned PostgreSQL", ex);
        }
    }

    /**
     * The live postmaster the pid file names; empty when there is none or the pid is now
     * another program's.
     */
    private static Optional<ProcessHandle> postmaster(Path pidFile) {
        List<String> lines;
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            log.warn("Could not read {}: {}", pidFile, ex.getMessage());
            return Optional.empty();
        }
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        }
        catch (NumberFormatException ex) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .filter(process -> process.info()
                .command()
                .map(command -> Path.of(command).getFileName().toString().startsWith("postgres"))
                .orElse(true));
    }

    private static boolean stopWithPgCtl(ProcessHandle postmaster, Path dataDirectory, Duration wait) {
        Optional<Path> pgCtl = postmaster.info()
            .command()
            .map(command -> Path.of(command).resolveSibling(command.endsWith(".exe") ? "pg_ctl.exe" : "pg_ctl"))
            .filter(Files::isExecutable);
        if (pgCtl.isEmpty()) {
            return false;
        }
        try {
            Process stop = new ProcessBuilder(pgCtl.get().toString(), "-D", dataDirectory.toString(), "stop", "-m",
                    "fast", "-w", "-t", Long.toString(Math.max(1, wait.toSeconds())))
                .redirectErrorStream(true)
                .start();
            String output = new String(stop.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int exit = stop.waitFor();
            if (exit != 0) {
                log.warn("pg_ctl stop answered {}: {}", exit, output);
            }
            return exit == 0;
        }
        catch (IOException ex) {
            log.warn("Could not run {}: {}", pgCtl.get(), ex.getMessage());
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

}
