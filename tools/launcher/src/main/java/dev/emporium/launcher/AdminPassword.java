package dev.emporium.launcher;

import java.nio.file.Path;

/**
 * The local administrator's password: the one given in {@code EMPORIUM_ADMIN_PASSWORD}, or one
 * generated on the first run and kept, readable by its owner only, in {@code .emporium/admin-password}.
 */
record AdminPassword(String value, boolean generatedNow, Path file) {

    static AdminPassword of(Settings settings) {
        Path file = settings.home().resolve("admin-password");
        if (settings.adminPassword().isPresent()) {
            return new AdminPassword(settings.adminPassword().get(), false, null);
        }
        LocalSecret secret = LocalSecret.readOrCreate(file, LocalSecret::random);
        return new AdminPassword(secret.value(), secret.generatedNow(), file);
    }

    /** The line for the ready table: the password itself only the first time. */
    String describe(String email) {
        if (file == null) {
            return email + " with the password in EMPORIUM_ADMIN_PASSWORD";
        }
        return generatedNow ? email + " / " + value + "   (generated now, kept in " + file + ")"
                : email + " with the password in " + file;
    }
}
