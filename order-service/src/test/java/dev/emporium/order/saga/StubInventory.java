package dev.emporium.order.saga;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import com.sun.net.httpserver.HttpServer;

/** A stand-in for inventory-service's product reads, which order-service calls to price an order. */
final class StubInventory {

    final Map<UUID, BigDecimal> prices = new ConcurrentHashMap<>();
    final AtomicBoolean down = new AtomicBoolean();
    /** Runs on the stub's thread while order-service waits for a price, before the answer. */
    volatile Runnable whilePricing = () -> {
    };
    private final HttpServer server;

    StubInventory() {
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/products/", exchange -> {
            UUID id = UUID.fromString(exchange.getRequestURI().getPath().substring("/api/products/".length()));
            whilePricing.run();
            BigDecimal price = prices.get(id);
            int status = down.get() ? 500 : price == null ? 404 : 200;
            byte[] body = (status == 200
                    ? "{\"id\":\"" + id + "\",\"price\":{\"amount\":" + price + ",\"currency\":\"EUR\"},\"available\":5}"
                    : "{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", status == 200 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    String uri() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    UUID product(String price) {
        UUID id = UUID.randomUUID();
        prices.put(id, new BigDecimal(price));
        return id;
    }
}
