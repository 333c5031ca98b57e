package io.yolomode.registration.downstream;

import java.util.HashSet;
import java.util.Set;

/**
 * The calls one job run has under way, so that stopping the run (cancel, lost lease,
 * shutdown) can abort them: a call blocked on its connection does not notice an
 * interrupt, but it does notice its connection being closed. Once {@link #abortAll()} has
 * run, a call that registers is aborted at once.
 */
public final class CallAborts {

    private final Set<Runnable> underWay = new HashSet<>();

    private boolean aborted;

    /**
     * Closes the connection of every call under way, and of every call that starts from
     * now on.
     */
    public void abortAll() {
        Set<Runnable> toAbort;
        synchronized (this) {
            aborted = true;
            toAbort = Set.copyOf(underWay);
            underWay.clear();
        }
        toAbort.forEach(Runnable::run);
    }

    /**
     * Answers whether the call may go on; false when the run was aborted already (and the
     * call with it).
     */
    boolean register(Runnable abort) {
        synchronized (this) {
            if (!aborted) {
                underWay.add(abort);
                return true;
            }
        }
        abort.run();
        return false;
    }

    synchronized void deregister(Runnable abort) {
        underWay.remove(abort);
    }

}
