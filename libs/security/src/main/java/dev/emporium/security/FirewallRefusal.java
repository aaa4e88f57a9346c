package dev.emporium.security;

import java.util.Optional;

/**
 * Why Spring Security's firewall refused a request, told to the client: it refuses a method no path
 * serves (TRACE, CONNECT, a made-up one), a path with an encoded slash, percent sign or dot segment, a
 * header or query parameter holding a control character, an unexpected host. Its exceptions say which
 * in their message; the servlet firewall (services) and the reactive one (gateway) word them alike.
 *
 * @param status 405 for a method, 400 for the rest
 * @param detail what was refused, for the problem's {@code detail}
 * @param allow the methods the firewall lets through, for the {@code Allow} header of a 405; which of
 *        them a path takes, its service answers (a 405 with that path's own {@code Allow})
 */
public record FirewallRefusal(int status, String detail, Optional<String> allow) {

    /** What Spring Security's firewalls let through, in both stacks. */
    public static final String ALLOWED_METHODS = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT";

    /** @param rejection the firewall's exception message */
    public static FirewallRefusal of(String rejection) {
        String why = rejection == null ? "" : rejection;
        if (why.contains("HTTP method")) {
            java.util.regex.Matcher method = java.util.regex.Pattern.compile("HTTP method \"([A-Za-z]{1,20})\"").matcher(why);
            return new FirewallRefusal(405, "No path of this API takes the HTTP method " + (method.find() ? method.group(1) : "sent")
                    + "; nothing was done. Its paths take " + ALLOWED_METHODS + ", each the ones its OpenAPI document lists.",
                    Optional.of(ALLOWED_METHODS));
        }
        if (why.contains("header")) {
            return new FirewallRefusal(400, "A request header holds a character this API refuses (a control character, or one that is"
                    + " not printable ASCII in its name); nothing was done.", Optional.empty());
        }
        if (why.contains("parameter")) {
            return new FirewallRefusal(400, "A query parameter holds a character this API refuses (a control character); nothing was done.",
                    Optional.empty());
        }
        if (why.contains("domain")) {
            return new FirewallRefusal(400, "The request's Host is not one this API answers to; nothing was done.", Optional.empty());
        }
        return new FirewallRefusal(400, "The request's path holds characters this API refuses (an encoded slash, percent sign or dot"
                + " segment); nothing was done.", Optional.empty());
    }
}
