package io.yolomode.registration.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import lombok.extern.slf4j.Slf4j;
import org.jspecify.annotations.Nullable;

/**
 * Which service process owns an embedded PostgreSQL data folder. The owner holds an
 * exclusive lock on {@code <folder>.owner} (beside the folder) for as long as it lives
 * and writes its pid and start time into it; the operating system drops the lock when the
 * process dies, however it dies, so a lock that can be taken means the previous owner is
 * gone and whatever PostgreSQL it left running is an orphan. One claim per folder per
 * JVM.
 */
@Slf4j
final class DataFolderOwner {

    private static final Map<Path, DataFolderOwner> HELD = new HashMap<>();

    private final Path ownerFile;

    private final FileChannel channel;

    private final FileLock lock;

    private final String previousOwner;

    private DataFolderOwner(Path ownerFile, FileChannel channel, FileLock lock, String previousOwner) {
        this.ownerFile = ownerFile;
        this.channel = channel;
        this.lock = lock;
        this.previousOwner = previousOwner;
    }

    /**
     * Takes the folder for this process, or answers the claim it already holds.
     * @throws DataFolderInUseException at once when a live service process owns the
     * folder
     */
    static synchronized DataFolderOwner claim(Path dataDirectory) {
        Path folder = dataDirectory.toAbsolutePath().normalize();
        DataFolderOwner held = HELD.get(folder);
        if (held != null) {
            return held;
        }
        Path ownerFile = folder.resolveSibling(folder.getFileName() + ".owner");
        try {
            Files.createDirectories(folder.getParent());
            FileChannel channel = FileChannel.open(ownerFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            String recorded = read(channel);
            if (lock == null) {
                channel.close();
                throw new DataFolderInUseException(folder, recorded);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(describe(ProcessHandle.current()).getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            DataFolderOwner owner = new DataFolderOwner(ownerFile, channel, lock, recorded);
            HELD.put(folder, owner);
            return owner;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not record the owner of " + folder + " in " + ownerFile, ex);
        }
    }

    /**
     * What the owner file said before this process took it: the process that ran the
     * folder last, if any.
     */
    String previousOwner() {
        return previousOwner;
    }

    /** Lets the folder go: called after the embedded PostgreSQL has stopped. */
    synchronized void release() {
        synchronized (DataFolderOwner.class) {
            HELD.values().remove(this);
        }
        // Emptied, not deleted: deleting it before the lock is let go would let a start
        // that opened it just then
        // hold a lock on a file no longer on disk while another start creates and locks a
        // new one.
        try {
            channel.truncate(0);
            lock.release();
            channel.close();
        }
        catch (IOException ex) {
            log.warn("Could not release {}: {}", ownerFile, ex.getMessage());
        }
    }

    private static @Nullable FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        }
        catch (OverlappingFileLockException ex) {
            // Held by this very JVM under another claim: the folder is just as busy.
            return null;
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
    }

    private static String describe(ProcessHandle process) {
        return "pid " + process.pid() + ", started "
                + process.info().startInstant().map(Instant::toString).orElse("at an unknown time") + "\n";
    }

    /**
     * A live service process owns the data folder; starting a second PostgreSQL on it
     * must not even be tried.
     */
    static final class DataFolderInUseException extends IllegalStateException {

        DataFolderInUseException(Path folder, String owner) {
            super("The embedded PostgreSQL data folder " + folder + " is in use by the running service process "
                    + (owner.isEmpty() ? "(pid not yet recorded)" : owner.strip())
                    + ". Stop that process first, or point registration.embedded-database.data-directory at "
                    + "another folder.");
        }

    }

}
