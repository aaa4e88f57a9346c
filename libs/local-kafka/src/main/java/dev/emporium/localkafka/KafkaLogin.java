package dev.emporium.localkafka;

import java.util.HashMap;
import java.util.Map;

/**
 * A principal's credentials and the client properties they make. The services log in with SCRAM-SHA-256
 * (their credentials live in the cluster's metadata); the platform's own administrator, the only
 * super user, with PLAIN against the broker's configuration, so that it exists before any SCRAM
 * credential does.
 *
 * @param username the principal, {@code User:<username>} in ACLs
 * @param password its password
 * @param mechanism {@code SCRAM-SHA-256} or {@code PLAIN}
 */
public record KafkaLogin(String username, String password, String mechanism) {

    public static final String ADMIN = "admin";
    public static final String SCRAM = "SCRAM-SHA-256";

    public static KafkaLogin admin(String password) {
        return new KafkaLogin(ADMIN, password, "PLAIN");
    }

    public static KafkaLogin service(String name, String password) {
        return new KafkaLogin(name, password, SCRAM);
    }

    /** {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config} for a Kafka client. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("security.protocol", "SASL_PLAINTEXT");
        properties.put("sasl.mechanism", mechanism);
        properties.put("sasl.jaas.config", jaas());
        return properties;
    }

    String jaas() {
        String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        return module + " required username=\"" + username + "\" password=\"" + password + "\";";
    }
}
