package dev.emporium.deployment;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM's memory as its options cap it, and the rule every container follows (docs/kubernetes.md,
 * "Memory"): heap + metaspace + code cache + direct memory + {@value #OTHER_MIB} MiB for the rest
 * (thread stacks, GC structures, symbol tables, malloc) fits the container's memory limit.
 */
record JvmMemory(long heapMiB, long metaspaceMiB, long codeCacheMiB, long directMiB) {

    static final long OTHER_MIB = 96;

    private static final Map<String, Pattern> OPTIONS = Map.of(
            "heap", Pattern.compile("-Xmx(\\d+[mMgG])"),
            "metaspace", Pattern.compile("-XX:MaxMetaspaceSize=(\\d+[mMgG])"),
            "code cache", Pattern.compile("-XX:ReservedCodeCacheSize=(\\d+[mMgG])"),
            "direct memory", Pattern.compile("-XX:MaxDirectMemorySize=(\\d+[mMgG])"));

    /** @throws AssertionError naming the cap that is missing: without it the JVM sizes it from the host */
    static JvmMemory parse(String options) {
        return new JvmMemory(cap(options, "heap"), cap(options, "metaspace"), cap(options, "code cache"), cap(options, "direct memory"));
    }

    /** The {@code -Xmx} of a JVM that caps nothing else (Kafka's {@code KAFKA_HEAP_OPTS}), in MiB. */
    static long heap(String options) {
        return cap(options, "heap");
    }

    long needsMiB() {
        return heapMiB + metaspaceMiB + codeCacheMiB + directMiB + OTHER_MIB;
    }

    private static long cap(String options, String what) {
        Matcher matcher = OPTIONS.get(what).matcher(options == null ? "" : options);
        if (!matcher.find()) {
            throw new AssertionError("no " + what + " cap (" + OPTIONS.get(what).pattern() + ") in JAVA_TOOL_OPTIONS: " + options);
        }
        return mebibytes(matcher.group(1));
    }

    /** 512m, 1g, 768Mi, 1Gi: as a JVM option or a Kubernetes quantity, in MiB. */
    static long mebibytes(String size) {
        Matcher matcher = Pattern.compile("(\\d+)([mMgG])i?").matcher(size.trim());
        if (!matcher.matches()) {
            throw new AssertionError("not a size in MiB or GiB: " + size);
        }
        long value = Long.parseLong(matcher.group(1));
        return matcher.group(2).equalsIgnoreCase("g") ? value * 1024 : value;
    }
}
