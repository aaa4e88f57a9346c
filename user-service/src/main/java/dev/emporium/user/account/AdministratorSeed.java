package dev.emporium.user.account;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;

import dev.emporium.user.config.IdentitySettings;

/**
 * Creates the administrator named by {@code EMPORIUM_ADMIN_EMAIL} / {@code EMPORIUM_ADMIN_PASSWORD}
 * at start-up. No password is committed anywhere: the local run generates one and prints it.
 */
@Component
class AdministratorSeed implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(AdministratorSeed.class);

    private final AccountManagement accounts;
    private final IdentitySettings settings;

    AdministratorSeed(AccountManagement accounts, IdentitySettings settings) {
        this.accounts = accounts;
        this.settings = settings;
    }

    @Override
    public void run(ApplicationArguments arguments) {
        if (hasText(settings.adminEmail()) && hasText(settings.adminPassword())) {
            onceMoreIfRaced(() -> accounts.ensureAdministrator(settings.adminEmail(), settings.adminPassword()));
        }
    }

    /**
     * Instances that start together seed the same administrator at the same moment: one of them finds the
     * account (or its credit account) created or changed under it. It looks again, once, and finds it done.
     */
    static void onceMoreIfRaced(Runnable ensure) {
        try {
            ensure.run();
        }
        catch (OptimisticLockingFailureException | DuplicateKeyException raced) {
            log.info("Another instance seeded the administrator at the same moment ({}); checking again", raced.getMessage());
            ensure.run();
        }
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }
}
