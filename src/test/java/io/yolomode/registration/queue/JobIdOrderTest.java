package io.yolomode.registration.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes that share a commit lock their jobs in PostgreSQL's order of ids, the order
 * every other statement that locks several jobs uses ({@code order by id}); PostgreSQL
 * compares a uuid's bytes unsigned, Java's {@code compareTo} signed.
 */
class JobIdOrderTest {

    @Test
    void idsSortAsPostgresSortsThem() {
        UUID low = UUID.fromString("00000000-0000-0000-0000-000000000001");
        UUID highFirstByte = UUID.fromString("f0000000-0000-0000-0000-000000000000");
        UUID highLastHalf = UUID.fromString("00000000-0000-0000-f000-000000000000");
        UUID middle = UUID.fromString("7fffffff-ffff-ffff-ffff-ffffffffffff");
        List<UUID> ids = new ArrayList<>(List.of(highFirstByte, middle, highLastHalf, low));

        ids.sort(JobQueue::inIdOrder);

        assertThat(ids).containsExactly(low, highLastHalf, middle, highFirstByte);
    }

}
