package dev.emporium.systemtests;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the check of the topics' records lets through and what it refuses, on records made up against docs/asyncapi.yaml. */
class AsyncApiRecordsTest {

    private static final String PRODUCT = UUID.randomUUID().toString();
    private static final String STOCK_CHANGED = "{\"messageId\":\"" + UUID.randomUUID() + "\",\"type\":\"StockChanged\","
            + "\"occurredAt\":\"2026-12-07T10:00:00Z\",%s\"payload\":{\"productId\":\"" + PRODUCT + "\",\"available\":3,\"reserved\":1,\"sold\":2%s}}";
    private static final Map<String, String> TRACED = Map.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

    private final AsyncApiRecords contract = new AsyncApiRecords(
            Path.of(System.getProperty("user.dir")).resolve("../../docs/asyncapi.yaml").normalize());

    AsyncApiRecordsTest() throws Exception {
    }

    @Test
    void passesARecordAsDocumented() {
        assertThat(contract.topics()).contains("inventory-commands", "order-saga-replies", "inventory-events", "inventory-prices");
        assertThat(contract.violations("inventory-events", PRODUCT, STOCK_CHANGED.formatted("", ""), TRACED)).isEmpty();
        assertThat(contract.violations("inventory-events", PRODUCT, STOCK_CHANGED.formatted("", ""),
                Map.of("emporium-replayed-from", "inventory-events.DLT-0-3"))).as("a replayed record").isEmpty();
    }

    @Test
    void refusesNullWhereTheDocumentSaysString() {
        assertThat(contract.violations("inventory-events", PRODUCT, STOCK_CHANGED.formatted("\"correlationId\":null,", ""), TRACED))
            .singleElement().asString().contains("envelope", "/correlationId");
    }

    @Test
    void refusesAFieldTheDocumentDoesNotNameOrLacksOneItDoes() {
        assertThat(contract.violations("inventory-events", PRODUCT, STOCK_CHANGED.formatted("", ",\"costPrice\":12.0"), TRACED))
            .singleElement().asString().contains("payload", "costPrice");
        assertThat(contract.violations("inventory-events", PRODUCT, STOCK_CHANGED.formatted("", "").replace(",\"sold\":2", ""), TRACED))
            .singleElement().asString().contains("payload", "sold");
        assertThat(contract.violations("inventory-events", PRODUCT, STOCK_CHANGED.formatted("", ""), Map.of("x-secret", "1")))
            .singleElement().asString().contains("headers", "x-secret");
    }

    @Test
    void refusesAnotherKeyAnUndocumentedTypeOrNoJson() {
        assertThat(contract.violations("inventory-events", UUID.randomUUID().toString(), STOCK_CHANGED.formatted("", ""), TRACED))
            .singleElement().asString().contains("key");
        assertThat(contract.violations("user-commands", PRODUCT, STOCK_CHANGED.formatted("", ""), TRACED))
            .singleElement().asString().contains("not a message of this channel");
        assertThat(contract.violations("inventory-events", PRODUCT, "this is not an envelope {", TRACED)).singleElement().asString()
            .contains("no JSON");
    }
}
