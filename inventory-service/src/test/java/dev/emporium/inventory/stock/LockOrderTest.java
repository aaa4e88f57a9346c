package dev.emporium.inventory.stock;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A reservation takes its stock rows in the order PostgreSQL sorts product ids, as batches and releases do. */
class LockOrderTest {

    @Test
    void sortsProductIdsAsPostgresSortsUuidsNotAsUuidCompareToDoes() {
        UUID low = UUID.fromString("10000000-0000-4000-8000-000000000000");
        UUID high = UUID.fromString("f0000000-0000-4000-8000-000000000000");
        List<UUID> ids = new ArrayList<>(List.of(high, low));

        ids.sort(Inventory.IN_POSTGRES_ORDER);

        // PostgreSQL: select '10000000-...'::uuid < 'f0000000-...'::uuid is true (bytes, unsigned)
        assertThat(ids).containsExactly(low, high);
        assertThat(high.compareTo(low)).as("UUID.compareTo, signed: the order this replaces").isNegative();
    }
}
