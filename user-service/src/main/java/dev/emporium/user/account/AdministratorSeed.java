package dev.emporium.user.account;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import dev.emporium.user.config.IdentitySettings;

/**
 * Creates the administrator named by {@code EMPORIUM_ADMIN_EMAIL} / {@code EMPORIUM_ADMIN_PASSWORD}
 * at start-up. No password is committed anywhere: the local run generates one and prints it.
 */
@Component
class AdministratorSeed implements ApplicationRunner {

    private final AccountManagement accounts;
    private final IdentitySettings settings;

    AdministratorSeed(AccountManagement accounts, IdentitySettings settings) {
        this.accounts = accounts;
        this.settings = settings;
    }

    @Override
    public void run(ApplicationArguments arguments) {
        if (hasText(settings.adminEmail()) && hasText(settings.adminPassword())) {
            accounts.ensureAdministrator(settings.adminEmail(), settings.adminPassword());
        }
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
