package dev.emporium.launcher;

import java.util.regex.Matcher;

/**
 * The last startup check, polled until it holds: through the gateway, user-service's public keys,
 * the catalogue, and (as the administrator, which proves the tokens work end to end) the orders.
 *
 * <p>It logs in once and keeps the token while it waits for the orders' route. The gateway allows
 * ten logins a minute from one address, and the shopper who runs {@code ./emporium up} logs in from
 * the same address: a login on every poll would spend their allowance before they had a turn.
 */
public final class GatewayReadiness {

    private final String gateway;
    private final String loginJson;
    private String adminToken;

    public GatewayReadiness(String gateway, String adminEmail, String adminPassword) {
        this.gateway = gateway;
        this.loginJson = "{\"email\":\"" + jsonEscape(adminEmail) + "\",\"password\":\"" + jsonEscape(adminPassword) + "\"}";
    }

    public boolean routesToAll() {
        if (Http.get(gateway + "/.well-known/jwks.json", "application/json").status() != 200
                || Http.get(gateway + "/api/products", "application/json").status() != 200) {
            return false;
        }
        if (adminToken == null) {
            Http.Response login = Http.postJson(gateway + "/api/users/login", loginJson);
            Matcher token = Http.ACCESS_TOKEN.matcher(login.body());
            if (login.status() != 200 || !token.find()) {
                return false;
            }
            adminToken = token.group(1);
        }
        int orders = Http.get(gateway + "/api/orders", "application/json", adminToken).status();
        if (orders == 401) {
            adminToken = null; // refused (signed with keys the gateway no longer trusts?): log in again
        }
        return orders == 200;
    }

    public static String jsonEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
