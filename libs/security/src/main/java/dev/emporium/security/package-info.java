/**
 * What every service does with the platform's access tokens: verify them itself (no trust by network
 * position), turn their {@code roles} into Spring Security roles, and answer 401 and 403 as
 * problem+json.
 */
package dev.emporium.security;
