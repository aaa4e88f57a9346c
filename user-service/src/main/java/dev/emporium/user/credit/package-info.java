/** Store credit: each customer's limit, what the order saga has reserved against it, and what is used. */
package dev.emporium.user.credit;
