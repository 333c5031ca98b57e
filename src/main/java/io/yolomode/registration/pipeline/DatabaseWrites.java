package io.yolomode.registration.pipeline;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import lombok.extern.slf4j.Slf4j;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Retries a run's database writes through outages: a transient failure is tried again
 * with backoff (up to 5 s apart) until it works or the thread is interrupted. The write
 * stays fenced, so a retry after the lease was lost changes nothing.
 */
@Slf4j
final class DatabaseWrites {

    private static final Duration FIRST_DELAY = Duration.ofMillis(100);

    private static final Duration MAX_DELAY = Duration.ofSeconds(5);

    private DatabaseWrites() {
    }

    static <T> T retrying(String what, Supplier<T> write) {
        long delay = FIRST_DELAY.toMillis();
        while (true) {
            try {
                return write.get();
            }
            catch (TransientDataAccessException | RecoverableDataAccessException | DataAccessResourceFailureException
                    | CannotCreateTransactionException ex) {
                if (Thread.currentThread().isInterrupted()) {
                    throw ex;
                }
                log.warn("Writing {} failed ({}); trying again in {} ms", what, ex.getMostSpecificCause().getMessage(),
                        delay);
                try {
                    TimeUnit.MILLISECONDS.sleep(delay);
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw ex;
                }
                delay = Math.min(delay * 2, MAX_DELAY.toMillis());
            }
        }
    }

}
