package dev.emporium.inventory.catalog;

import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.PagingAndSortingRepository;

import dev.emporium.inventory.catalog.Product.ProductId;

interface Products extends ListCrudRepository<Product, ProductId>, PagingAndSortingRepository<Product, ProductId> {
}
