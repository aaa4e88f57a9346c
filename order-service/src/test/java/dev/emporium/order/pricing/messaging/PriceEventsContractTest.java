package dev.emporium.order.pricing.messaging;

import org.junit.jupiter.api.Test;

import dev.emporium.testsupport.AsyncApiContract;

/** What order-service reads from a price announcement is documented in docs/asyncapi.yaml. */
class PriceEventsContractTest {

    @Test
    void readsOnlyDocumentedFieldsOfProductPriced() {
        AsyncApiContract.load().consumes("ProductPriced", PriceEvents.ProductPriced.class);
    }
}
