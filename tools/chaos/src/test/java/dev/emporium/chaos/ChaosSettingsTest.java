package dev.emporium.chaos;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.emporium.chaos.ChaosSettings.Fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** What {@code ./emporium chaos --replicas=2 --kafka-brokers=3} injects, and how its table tells 503s apart. */
class ChaosSettingsTest {

    @Test
    void aReplicatedRunKillsOneOfEachWhileItsTwinStaysUp() {
        ChaosSettings replicated = ChaosSettings.parse(new String[] {"--replicas=2", "--kafka-brokers=3"});

        assertThat(replicated.faults()).containsExactly(Fault.KILL_INVENTORY, Fault.KILL_ORDER, Fault.KILL_USER, Fault.KILL_DISCOVERY,
                Fault.KILL_BROKER, Fault.REDELIVER, Fault.POISON);
        assertThat(replicated.replicated()).isTrue();
        assertThat(replicated.describe()).contains("2 instances of each service, 3 Kafka brokers");
        assertThat(ChaosSettings.parse(new String[] {"--replicas=2"}).faults()).doesNotContain(Fault.KILL_BROKER);
        assertThat(ChaosSettings.parse(new String[0]).faults()).isEqualTo(ChaosSettings.SINGLE_FAULTS);
    }

    @Test
    void aReplicatedRunShopsAtPeoplesPaceAndTheSingleRunOverloads() {
        ChaosSettings replicated = ChaosSettings.parse(new String[] {"--replicas=2"});
        ChaosSettings single = ChaosSettings.parse(new String[0]);

        assertThat(replicated.shoppers()).isEqualTo(ChaosSettings.REPLICATED_SHOPPERS);
        assertThat(replicated.awaitsDecisions()).isTrue();
        assertThat(replicated.thinkTime()).isEqualTo(ChaosSettings.PERSON_THINK_TIME);
        assertThat(single.shoppers()).isEqualTo(50);
        assertThat(single.awaitsDecisions()).isFalse();
        assertThat(ChaosSettings.parse(new String[] {"--shoppers=35", "--replicas=2"}).shoppers()).isEqualTo(35);
    }

    @Test
    void faultsNamedOnTheCommandLineWinOverTheReplicatedDefault() {
        ChaosSettings chosen = ChaosSettings.parse(new String[] {"--faults=KILL_ORDER", "--replicas=2"});

        assertThat(chosen.faults()).containsExactly(Fault.KILL_ORDER);
    }

    @Test
    void killingABrokerNeedsThree() {
        assertThatIllegalArgumentException().isThrownBy(() -> ChaosSettings.parse(new String[] {"--faults=KILL_BROKER"}))
            .withMessageContaining("--kafka-brokers=3");
    }

    @Test
    void tellsA503OfAnInstanceGoneFromLoadShedOnPurpose() {
        ChaosShop.Tally tally = new ChaosShop.Tally();

        tally.record("GET /api/products", new ChaosShop.Answer(503, "{\"detail\":\"The service behind /api/products cannot be reached right"
                + " now; try again shortly\"}", Optional.of("2")));
        tally.record("POST /api/orders", new ChaosShop.Answer(503, "{\"detail\":\"The shop is taking more orders than it can decide right"
                + " now (40 are waiting, the limit is 40)\"}", Optional.of("1")));
        tally.record("POST /api/orders", new ChaosShop.Answer(503, "{\"detail\":\"Orders cannot be priced right now (timeout)\"}",
                Optional.of("10")));

        assertThat(tally.instanceGone()).isEqualTo(2);
        assertThat(tally.count("503 with Retry-After, shed: order admission")).isEqualTo(1);
        assertThat(tally.unacceptable()).isZero();
    }
}
