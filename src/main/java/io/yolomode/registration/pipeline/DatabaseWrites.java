package io.yolomode.registration.pipeline;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import lombok.extern.slf4j.Slf4j;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Retries a run's database writes through outages: a transient failure (a lost or refused
 * connection, a serialisation or deadlock failure, a lock or statement timeout) is tried
 * again with backoff (up to 5 s apart) until it works or the thread is interrupted. The
 * write stays fenced, so a retry after the lease was lost changes nothing.
 */
@Slf4j
final class DatabaseWrites {

    private static final Duration FIRST_DELAY = Duration.ofMillis(100);

    private static final Duration MAX_DELAY = Duration.ofSeconds(5);

    /** lock_not_available, query_canceled */
    private static final Set<String> TIMEOUT_STATES = Set.of("55P03", "57014");

    private DatabaseWrites() {
    }

    /**
     * Whether a write that failed so may work when tried again. PostgreSQL's lock and
     * statement timeouts (SQL states 55P03, 57014) are named here since Spring's
     * translation leaves the first uncategorised.
     */
    static boolean worthRetrying(RuntimeException failure) {
        if (failure instanceof TransientDataAccessException || failure instanceof RecoverableDataAccessException
                || failure instanceof DataAccessResourceFailureException
                || failure instanceof CannotCreateTransactionException) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && TIMEOUT_STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static <T> T retrying(String what, Supplier<T> write) {
        long delay = FIRST_DELAY.toMillis();
        while (true) {
            try {
                return write.get();
            }
            catch (RuntimeException ex) {
                if (!worthRetrying(ex) || Thread.currentThread().isInterrupted()) {
                    throw ex;
                }
                log.warn("Writing {} failed ({}); trying again in {} ms", what,
                        NestedExceptionUtils.getMostSpecificCause(ex).getMessage(), delay);
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
