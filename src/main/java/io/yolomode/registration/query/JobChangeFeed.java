package io.yolomode.registration.query;

import java.util.UUID;
import java.util.function.ObjLongConsumer;

/**
 * The change notifications the read side keeps its poll cache current with: every
 * committed change of any job, and whether they are being heard at all. The live package
 * provides them (from the database's LISTEN/NOTIFY), so the read side does not depend on
 * it.
 */
public interface JobChangeFeed {

    /**
     * Calls the listener with the job and its version after each committed change (a
     * history entry's sequence), on one thread, in commit order; it must be quick.
     */
    void onJobChange(ObjLongConsumer<UUID> listener);

    /**
     * Names the connection that hears the changes while it hears every one of them: a new
     * value after each reconnect, 0 while none is listening (changes committed meanwhile
     * may never be told).
     */
    long listeningConnection();

}
