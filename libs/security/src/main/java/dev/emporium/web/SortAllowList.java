package dev.emporium.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;

/**
 * The properties a list endpoint may be sorted by, by the names its API documents. Spring Data renders a
 * sort property it does not know as SQL text, so nothing a client sends reaches a query unchecked: a
 * property or a direction not listed here is refused with {@link UnsupportedSortException} (400), and a
 * listed one is translated to the property the repository knows.
 */
public final class SortAllowList {

    private final Map<String, String> properties;
    private final List<String> names;

    private SortAllowList(Map<String, String> properties) {
        this.properties = properties;
        this.names = List.copyOf(properties.keySet());
    }

    /** Each argument is both the API's name and the repository's property. */
    public static SortAllowList of(String... properties) {
        Map<String, String> same = new LinkedHashMap<>();
        for (String property : properties) {
            same.put(property, property);
        }
        return new SortAllowList(same);
    }

    /**
     * The API's names mapped to the repository's properties (or columns), in the order to document them.
     *
     * @param pairs an API name, its property, the next API name, its property, ...
     */
    public static SortAllowList mapping(String... pairs) {
        if (pairs.length == 0 || pairs.length % 2 != 0) {
            throw new IllegalStateException("name the sortable properties in pairs: API name, property");
        }
        Map<String, String> mapped = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            mapped.put(pairs[i], pairs[i + 1]);
        }
        return new SortAllowList(mapped);
    }

    /** The names a client may sort by. */
    public List<String> names() {
        return names;
    }

    /** The same page with its sort checked and translated. */
    public Pageable check(Pageable pageable) {
        return PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(), check(pageable.getSort()));
    }

    /** Every order of the sort checked and translated; an unsorted sort stays unsorted. */
    public Sort check(Sort sort) {
        return Sort.by(sort.stream().map(order -> new Sort.Order(order.getDirection(), property(order.getProperty()))).toList());
    }

    /**
     * A {@code property[,asc|desc]} parameter, as a column for SQL the caller writes itself.
     *
     * @return the property (or column) and the direction, both from this list, never from the input
     */
    public String orderBy(String sort, String byDefault) {
        String[] parts = (sort == null || sort.isBlank() ? byDefault : sort).split(",", -1);
        String direction = parts.length > 1 ? parts[1].strip().toLowerCase(Locale.ROOT) : "asc";
        if (parts.length > 2 || !(direction.equals("asc") || direction.equals("desc"))) {
            throw new UnsupportedSortException(sort, names);
        }
        return property(parts[0].strip()) + " " + direction;
    }

    private String property(String requested) {
        String property = properties.get(requested);
        if (property == null) {
            throw new UnsupportedSortException(requested, names);
        }
        return property;
    }

    /** A sort the endpoint does not offer. */
    public static final class UnsupportedSortException extends RuntimeException {

        private final List<String> allowed;

        UnsupportedSortException(String requested, List<String> allowed) {
            super("Cannot sort by '" + abbreviated(requested) + "'. Sort by one of " + String.join(", ", allowed)
                    + ", optionally followed by ',asc' or ',desc' (e.g. sort=" + allowed.getFirst() + ",desc).");
            this.allowed = allowed;
        }

        public List<String> allowed() {
            return allowed;
        }

        private static String abbreviated(String requested) {
            String text = requested == null ? "" : requested;
            return text.length() > 60 ? text.substring(0, 60) + "..." : text;
        }
    }
}
