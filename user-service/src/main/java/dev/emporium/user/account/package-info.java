/** Customer and admin accounts: who can log in, and (later) their store credit. */
package dev.emporium.user.account;
