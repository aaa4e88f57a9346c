package dev.emporium.inventory.catalog;

import java.util.List;
import java.util.UUID;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.PageRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.emporium.inventory.catalog.Product.ProductId;
import dev.emporium.web.SortAllowList;

/**
 * Catalogue search: a case-insensitive match on name or SKU, an optional category, a page, and a sort
 * by one of a few known columns (anything else is refused rather than passed to SQL).
 */
@Repository
class ProductSearch {

    /** The API's sort names and their columns; nothing else reaches the {@code order by}. */
    static final SortAllowList SORTABLE = SortAllowList.mapping("name", "name", "sku", "sku", "price", "price_amount",
            "category", "category");

    private final JdbcClient jdbc;

    ProductSearch(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Page<Product> search(String text, String category, int page, int size, String sort) {
        String order = SORTABLE.orderBy(sort, "name");
        String where = " where (cast(:q as text) is null or name ilike :pattern or sku ilike :pattern)"
                + " and (cast(:category as text) is null or category = :category)";
        String pattern = text == null ? null : "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        long total = jdbc.sql("select count(*) from products" + where)
            .param("q", text).param("pattern", pattern).param("category", category)
            .query(Long.class).single();
        List<Product> products = jdbc.sql("select * from products" + where + " order by " + order + ", id limit :limit offset :offset")
            .param("q", text).param("pattern", pattern).param("category", category)
            .param("limit", size).param("offset", (long) page * size)
            .query((row, n) -> new Product(new ProductId(row.getObject("id", UUID.class)), row.getString("sku"), row.getString("name"),
                    row.getString("description"), new Money(row.getBigDecimal("price_amount"), row.getString("price_currency").trim()),
                    row.getString("category"), row.getInt("version")))
            .list();
        return new PageImpl<>(products, PageRequest.of(page, size), total);
    }
}
