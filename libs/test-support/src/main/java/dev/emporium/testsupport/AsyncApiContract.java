package dev.emporium.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Holds a service's message records to docs/asyncapi.yaml: a message a service publishes must have
 * exactly the documented payload fields; one it consumes may read fewer (a tolerant reader), never
 * one that is not documented. Field types are compared as JSON sees them (string, integer, number,
 * array, object), nested records and list elements included.
 */
public final class AsyncApiContract {

    private final Map<String, Object> schemas;
    private final Map<String, Object> messages;

    private AsyncApiContract(Map<String, Object> schemas, Map<String, Object> messages) {
        this.schemas = schemas;
        this.messages = messages;
    }

    /** The document at the repository root, found from a module's working directory. */
    public static AsyncApiContract load() {
        Path document = Path.of(System.getProperty("user.dir")).resolve("../docs/asyncapi.yaml").normalize();
        try {
            Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(document));
            Map<String, Object> components = map(root.get("components"));
            return new AsyncApiContract(map(components.get("schemas")), map(components.get("messages")));
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not read " + document, e);
        }
    }

    /** The service publishes {@code record} as the message of the same name: every field documented, none missing. */
    public void publishes(Class<? extends Record> record) {
        Map<String, Object> documented = properties(schema(record.getSimpleName()), record.getSimpleName());
        assertThat(documented.keySet()).as(record.getName() + " vs docs/asyncapi.yaml " + record.getSimpleName())
            .containsExactlyInAnyOrderElementsOf(List.of(componentNames(record)));
        compareTypes(record, documented, record.getSimpleName());
    }

    /**
     * What travels on the wire around every payload: the {@code Envelope} schema has exactly the
     * fields of {@code envelope} (libs/messaging's record), and every message is the whole record: the
     * envelope with its own schema as {@code payload} and its name as {@code type}, the trace headers,
     * and a Kafka key binding.
     */
    public void wrapsEveryMessageIn(Class<? extends Record> envelope) {
        Map<String, Object> documented = properties(schema("Envelope"), "Envelope");
        assertThat(documented.keySet()).as(envelope.getName() + " vs docs/asyncapi.yaml Envelope")
            .containsExactlyInAnyOrderElementsOf(List.of(componentNames(envelope)));
        compareTypes(envelope, documented, "Envelope");
        assertThat(properties(schema("Headers"), "Headers")).as("the documented record headers").containsKey("traceparent");
        assertThat(messages).as("components.messages").isNotEmpty();
        messages.forEach((name, value) -> {
            Map<String, Object> message = map(value);
            List<Object> parts = list(map(message.get("payload")).get("allOf"), name + ".payload.allOf");
            assertThat(map(parts.get(0)).get("$ref")).as(name + ": the envelope first").isEqualTo("#/components/schemas/Envelope");
            Map<String, Object> own = properties(map(parts.get(1)), name + ".payload.allOf[1]");
            assertThat(map(own.get("type")).get("const")).as(name + ": its type").isEqualTo(name);
            assertThat(resolve(map(own.get("payload")))).as(name + ": its payload schema").isSameAs(schema(name));
            assertThat(map(message.get("headers")).get("$ref")).as(name + ": its headers").isEqualTo("#/components/schemas/Headers");
            assertThat(map(message.get("bindings")).get("$ref")).as(name + ": its Kafka key").asString()
                .startsWith("#/components/messageBindings/");
        });
    }

    /** The service reads message {@code message} into {@code record}: every field it reads must be documented. */
    public void consumes(String message, Class<? extends Record> record) {
        Map<String, Object> documented = properties(schema(message), message);
        assertThat(documented.keySet()).as(record.getName() + " reads " + message + ": fields not in docs/asyncapi.yaml")
            .containsAll(List.of(componentNames(record)));
        compareTypes(record, documented, message);
    }

    private void compareTypes(Class<?> record, Map<String, Object> documented, String where) {
        for (RecordComponent component : record.getRecordComponents()) {
            Map<String, Object> property = resolve(map(documented.get(component.getName())));
            String path = where + "." + component.getName();
            assertThat(property.get("type")).as(path + " type").isEqualTo(jsonType(component.getType()));
            if (component.getType().isRecord()) {
                compareTypes(component.getType(), properties(property, path), path);
            }
            if (Collection.class.isAssignableFrom(component.getType())) {
                Class<?> element = elementType(component.getGenericType());
                Map<String, Object> items = resolve(map(property.get("items")));
                assertThat(items.get("type")).as(path + "[] type").isEqualTo(jsonType(element));
                if (element.isRecord()) {
                    compareTypes(element, properties(items, path + "[]"), path + "[]");
                }
            }
        }
    }

    private Map<String, Object> schema(String name) {
        assertThat(schemas).as("docs/asyncapi.yaml components.schemas").containsKey(name);
        return map(schemas.get(name));
    }

    private Map<String, Object> resolve(Map<String, Object> schema) {
        Object reference = schema.get("$ref");
        if (reference == null) {
            return schema;
        }
        String name = reference.toString().substring(reference.toString().lastIndexOf('/') + 1);
        return schema(name);
    }

    private static Map<String, Object> properties(Map<String, Object> schema, String where) {
        assertThat(schema).as(where + " has properties").containsKey("properties");
        return map(schema.get("properties"));
    }

    private static String[] componentNames(Class<?> record) {
        return java.util.Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName).toArray(String[]::new);
    }

    static String jsonType(Class<?> type) {
        if (type == String.class || type == UUID.class || type == Instant.class || type.isEnum()) {
            return "string";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "integer";
        }
        if (type == BigDecimal.class || type == double.class || type == Double.class) {
            return "number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "boolean";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "array";
        }
        return "object";
    }

    private static Class<?> elementType(Type generic) {
        Type argument = ((ParameterizedType) generic).getActualTypeArguments()[0];
        return argument instanceof Class<?> type ? type : (Class<?>) ((ParameterizedType) argument).getRawType();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value, String where) {
        assertThat(value).as(where).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }
}
