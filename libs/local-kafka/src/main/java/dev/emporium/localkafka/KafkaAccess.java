package dev.emporium.localkafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Who may do what on the broker: one principal per service, allowed exactly the topics it writes and
 * reads (least privilege; KRaft's StandardAuthorizer denies everything else). The table here is the one
 * source: the local run applies it with {@link #apply}, and compose and the k8s dev overlay run the
 * {@code kafka-acls.sh} lines {@link #commands} prints (a test keeps them equal).
 * <ul>
 * <li>the topics a service owns: it creates them (its {@code NewTopic} beans) and reads their configuration;</li>
 * <li>a topic it consumes: read, in its own consumer group; write only if it owns the topic (a dead letter
 * is replayed into it). A topic another service owns is never written by its readers: they replay into a
 * {@code <topic>.replay} of their own (see the messaging library's {@code DeadLetters});</li>
 * <li>the {@code <topic>.DLT} of a topic it consumes: create, write, read;</li>
 * <li>a topic it produces to: write.</li>
 * </ul>
 */
public final class KafkaAccess {

    /**
     * @param name the principal, the service's name; also its consumer group
     */
    public record Service(String name, List<String> owns, List<String> consumes, List<String> produces) {
    }

    public static final List<Service> SERVICES = List.of(
            new Service("order-service", List.of("order-saga-replies", "order-events", "inventory-prices.replay"),
                    List.of("order-saga-replies", "inventory-prices", "inventory-prices.replay"),
                    List.of("inventory-commands", "user-commands", "order-events")),
            new Service("inventory-service", List.of("inventory-commands", "inventory-events", "inventory-prices"), List.of("inventory-commands"),
                    List.of("order-saga-replies", "inventory-events", "inventory-prices")),
            new Service("user-service", List.of("user-commands"), List.of("user-commands"), List.of("order-saga-replies")));

    private KafkaAccess() {
    }

    /** Every ACL of one service. */
    public static List<AclBinding> bindings(Service service) {
        List<AclBinding> bindings = new ArrayList<>();
        String principal = "User:" + service.name();
        Stream.concat(service.owns().stream(), service.consumes().stream().map(KafkaAccess::deadLetterTopicOf)).distinct().forEach(topic ->
                allow(bindings, principal, ResourceType.TOPIC, topic, AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS));
        service.consumes().forEach(topic -> {
            if (service.owns().contains(topic)) {
                allow(bindings, principal, ResourceType.TOPIC, topic, AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE);
            }
            else {
                allow(bindings, principal, ResourceType.TOPIC, topic, AclOperation.READ, AclOperation.DESCRIBE);
            }
            allow(bindings, principal, ResourceType.TOPIC, deadLetterTopicOf(topic), AclOperation.READ, AclOperation.WRITE);
        });
        service.produces().forEach(topic -> allow(bindings, principal, ResourceType.TOPIC, topic, AclOperation.WRITE, AclOperation.DESCRIBE));
        allow(bindings, principal, ResourceType.GROUP, service.name(), AclOperation.READ);
        allow(bindings, principal, ResourceType.CLUSTER, "kafka-cluster", AclOperation.IDEMPOTENT_WRITE);
        return bindings.stream().distinct().toList();
    }

    /** A replay topic's dead letters go to its original topic's: {@code inventory-prices.replay} to {@code inventory-prices.DLT}. */
    private static String deadLetterTopicOf(String topic) {
        return (topic.endsWith(".replay") ? topic.substring(0, topic.length() - ".replay".length()) : topic) + ".DLT";
    }

    /**
     * Gives each service its SCRAM credentials and exactly its ACLs; safe to run on every start. A grant
     * the table no longer holds (from a broker directory an older version set up) is removed, so that
     * what a service may do is always what the table says.
     *
     * @param admin a client logged in as the super user
     * @param passwords each service's password, by name
     * @return the grants it removed, for the caller to report
     */
    public static List<AclBinding> apply(Admin admin, Map<String, String> passwords) throws InterruptedException {
        List<UserScramCredentialUpsertion> credentials = SERVICES.stream()
            .map(service -> new UserScramCredentialUpsertion(service.name(), new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192),
                    passwords.get(service.name())))
            .toList();
        try {
            admin.alterUserScramCredentials(List.copyOf(credentials)).all().get(30, TimeUnit.SECONDS);
            List<AclBinding> wanted = SERVICES.stream().flatMap(service -> bindings(service).stream()).toList();
            admin.createAcls(wanted).all().get(30, TimeUnit.SECONDS);
            List<String> principals = SERVICES.stream().map(service -> "User:" + service.name()).toList();
            List<AclBinding> stale = admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS).stream()
                .filter(binding -> principals.contains(binding.entry().principal()) && !wanted.contains(binding))
                .toList();
            if (!stale.isEmpty()) {
                admin.deleteAcls(stale.stream().map(AclBinding::toFilter).toList()).all().get(30, TimeUnit.SECONDS);
            }
            return stale;
        }
        catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not give the services their Kafka credentials and ACLs: " + e.getMessage(), e);
        }
    }

    /**
     * The same ACLs as {@code kafka-acls.sh} arguments, one line per principal and resource, for the
     * setup script of compose and the k8s dev overlay ({@code k8s/overlays/dev/kafka-access.sh}).
     */
    public static List<String> commands() {
        Map<String, List<AclBinding>> byPrincipalAndResource = new java.util.LinkedHashMap<>();
        SERVICES.stream().flatMap(service -> bindings(service).stream())
            .forEach(binding -> byPrincipalAndResource.computeIfAbsent(binding.entry().principal() + " " + target(binding.pattern()),
                    key -> new ArrayList<>()).add(binding));
        return byPrincipalAndResource.values().stream().map(KafkaAccess::command).toList();
    }

    private static String command(List<AclBinding> bindings) {
        AclBinding first = bindings.getFirst();
        StringBuilder line = new StringBuilder("--add --allow-principal " + first.entry().principal());
        bindings.forEach(binding -> line.append(" --operation ").append(pascalCase(binding.entry().operation())));
        return line.append(' ').append(target(first.pattern())).toString();
    }

    private static String target(ResourcePattern resource) {
        return switch (resource.resourceType()) {
            case TOPIC -> "--topic " + resource.name();
            case GROUP -> "--group " + resource.name();
            case CLUSTER -> "--cluster";
            default -> throw new IllegalStateException("no ACLs on " + resource.resourceType());
        };
    }

    private static String pascalCase(AclOperation operation) {
        return java.util.Arrays.stream(operation.name().split("_"))
            .map(word -> word.charAt(0) + word.substring(1).toLowerCase(java.util.Locale.ROOT))
            .collect(java.util.stream.Collectors.joining());
    }

    private static void allow(List<AclBinding> bindings, String principal, ResourceType type, String name, AclOperation... operations) {
        for (AclOperation operation : operations) {
            bindings.add(new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
        }
    }
}
