package dev.emporium.systemtests;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;

/**
 * Runs a {@code .http} file the way VS Code's REST Client does, for the subset docs/api.http uses:
 * file variables ({@code @name = value}), requests separated by {@code ###}, {@code # @name} to keep
 * a response, {@code {{name.response.body.$.json.path}}}, {@code {{$guid}}} and
 * {@code {{$processEnv NAME}}}; plus {@code # expect <status>}, which this runner checks.
 */
final class HttpFile {

    /** One request as written and what it answered. */
    record Result(String title, String method, String url, int expected, int status, String body) {

        boolean asWritten() {
            return status == expected;
        }
    }

    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([^}]+?)\\s*}}");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, String> variables = new LinkedHashMap<>();
    private final Map<String, String> environment;
    private final Map<String, String> responses = new HashMap<>();

    HttpFile(Map<String, String> environment) {
        this.environment = environment;
    }

    /** Runs every request in order; {@code overrides} replace file variables (e.g. the gateway's address). */
    List<Result> run(Path file, Map<String, String> overrides) throws IOException, InterruptedException {
        List<Result> results = new ArrayList<>();
        String[] blocks = Files.readString(file).split("(?m)^###");
        for (String line : blocks[0].lines().toList()) {
            Matcher definition = Pattern.compile("^@([\\w-]+)\\s*=\\s*(.*)$").matcher(line.strip());
            if (definition.matches()) {
                variables.put(definition.group(1), definition.group(2).strip());
            }
        }
        variables.putAll(overrides);
        variables.replaceAll((name, value) -> resolve(value));
        for (int i = 1; i < blocks.length; i++) {
            results.add(send(blocks[i]));
        }
        return results;
    }

    private Result send(String block) throws IOException, InterruptedException {
        List<String> lines = block.lines().toList();
        String title = lines.getFirst().strip();
        String name = null;
        int expected = 200;
        int at = 1;
        for (; at < lines.size(); at++) {
            String line = lines.get(at).strip();
            if (line.startsWith("# @name")) {
                name = line.substring("# @name".length()).strip();
            }
            else if (line.startsWith("# expect")) {
                expected = Integer.parseInt(line.substring("# expect".length()).strip());
            }
            else if (!line.isEmpty() && !line.startsWith("#")) {
                break;
            }
        }
        String[] requestLine = resolve(lines.get(at)).split("\\s+");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(requestLine[1])).timeout(Duration.ofSeconds(15));
        int line = at + 1;
        for (; line < lines.size() && !lines.get(line).isBlank(); line++) {
            String[] header = lines.get(line).split(":", 2);
            request.header(header[0].strip(), resolve(header[1].strip()));
        }
        String body = resolve(String.join("\n", lines.subList(Math.min(line, lines.size()), lines.size())).strip());
        request.method(requestLine[0], body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (name != null) {
            responses.put(name, response.body());
        }
        return new Result(title, requestLine[0], requestLine[1], expected, response.statusCode(), response.body());
    }

    private String resolve(String text) {
        Matcher matcher = VARIABLE.matcher(text);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(value(matcher.group(1))));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }

    private String value(String expression) {
        if (expression.equals("$guid")) {
            return UUID.randomUUID().toString();
        }
        if (expression.startsWith("$processEnv ")) {
            String name = expression.substring("$processEnv ".length()).strip();
            return environment.getOrDefault(name, "");
        }
        Matcher reference = Pattern.compile("^([\\w-]+)\\.response\\.body\\.(\\$.*)$").matcher(expression);
        if (reference.matches()) {
            String body = responses.get(reference.group(1));
            if (body == null) {
                throw new IllegalStateException("{{" + expression + "}} refers to a response not received yet");
            }
            return String.valueOf((Object) JsonPath.read(body, reference.group(2)));
        }
        if (variables.containsKey(expression)) {
            return variables.get(expression);
        }
        throw new IllegalStateException("unknown variable {{" + expression + "}}");
    }
}
