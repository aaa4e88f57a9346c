/** Logging in: checking a password, throttling guessers, and issuing signed access tokens (with their JWKS). */
package dev.emporium.user.login;
