// The cart, kept in localStorage so that it survives reloads, new tabs and a session that ended.
// It carries one Idempotency-Key: every attempt to check out this cart sends the same key, so a
// double click or a retried request makes one order. Changing the cart makes a new key (the old one
// would be refused with 422: a key stands for one order's content).

const CART = 'emporium.cart';

/** A key the gateway accepts (8 to 100 characters), from the browser's random generator. */
function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `cart-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function read() {
  try {
    const cart = JSON.parse(localStorage.getItem(CART));
    if (cart && Array.isArray(cart.lines) && typeof cart.key === 'string') return cart;
  } catch {
    // an unreadable cart is an empty one
  }
  return { key: newKey(), lines: [] };
}

function write(cart) {
  localStorage.setItem(CART, JSON.stringify(cart));
  document.dispatchEvent(new CustomEvent('cart-changed'));
}

export const cart = {
  lines() {
    return read().lines;
  },
  key() {
    return read().key;
  },
  count() {
    return read().lines.reduce((sum, line) => sum + line.quantity, 0);
  },
  /** Adds a product (name and price are kept for showing; the order is priced by the catalogue). */
  add(product, quantity) {
    const current = read();
    const line = current.lines.find((l) => l.productId === product.id);
    if (line) line.quantity = Math.min(line.quantity + quantity, 1000);
    else current.lines.push({ productId: product.id, name: product.name, price: product.price, quantity });
    write({ key: newKey(), lines: current.lines });
  },
  setQuantity(productId, quantity) {
    const current = read();
    const lines = current.lines
      .map((l) => (l.productId === productId ? { ...l, quantity } : l))
      .filter((l) => l.quantity > 0);
    write({ key: newKey(), lines });
  },
  /**
   * The catalogue's price now, in place of the one kept when the product was added. What the order
   * would hold (products and quantities) is unchanged, and so is the key.
   */
  reprice(productId, price) {
    const current = read();
    const line = current.lines.find((l) => l.productId === productId);
    if (!line) return;
    line.price = price;
    write(current);
  },
  /** After the order was placed: an empty cart with a new key. */
  clear() {
    write({ key: newKey(), lines: [] });
  },
};
