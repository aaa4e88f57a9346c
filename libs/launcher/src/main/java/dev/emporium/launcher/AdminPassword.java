package dev.emporium.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

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
        try {
            if (Files.exists(file)) {
                return new AdminPassword(Files.readString(file).strip(), false, file);
            }
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(file.getParent());
            Files.writeString(file, password);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
            catch (UnsupportedOperationException e) {
                // not a POSIX file system: the folder's own permissions apply
            }
            return new AdminPassword(password, true, file);
        }
        catch (IOException e) {
            throw new UncheckedIOException("Could not read or write " + file, e);
        }
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
