package dev.emporium.deployment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What {@code ./emporium images} builds, read from its {@code --dry-run}: the image references after {@code -t}. */
final class ImagesCommand {

    private static final Pattern TAGGED = Pattern.compile(" -t (\\S+)");

    private ImagesCommand() {
    }

    static List<String> references(List<String> options) {
        List<String> command = new ArrayList<>(List.of("bash", Overlay.ROOT.resolve("emporium").toString(), "images", "--dry-run"));
        command.addAll(options);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + output);
            }
            List<String> references = new ArrayList<>();
            Matcher matcher = TAGGED.matcher(output);
            while (matcher.find()) {
                references.add(matcher.group(1));
            }
            return references;
        }
        catch (IOException e) {
            throw new AssertionError("could not run " + command, e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
