package fr.passerelle.core.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.GatewayException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TableOrderTest {

    @Test
    void fillsEveryTableAfterTheTablesItReferences() {
        Map<String, Set<String>> references = Map.of(
                "receipt_link", Set.of("delivery"),
                "receipt", Set.of("delivery"),
                "delivery", Set.of("referral"),
                "referral_hold", Set.of("referral"),
                "protection_token", Set.of("protection"));

        var order = TableOrder.parentsFirst(
                Set.of(
                        "receipt_link",
                        "receipt",
                        "delivery",
                        "referral",
                        "referral_hold",
                        "protection",
                        "protection_token",
                        "audit_entry"),
                references);

        assertThat(order)
                .containsExactly(
                        "audit_entry",
                        "protection",
                        "protection_token",
                        "referral",
                        "delivery",
                        "receipt",
                        "receipt_link",
                        "referral_hold");
    }

    @Test
    void ignoresATableThatReferencesItselfAndTablesLeftOut() {
        var order = TableOrder.parentsFirst(
                Set.of("config_current", "config_version"),
                Map.of(
                        "config_version", Set.of("config_version"),
                        "config_current", Set.of("config_version", "flyway_schema_history")));

        assertThat(order).containsExactly("config_version", "config_current");
    }

    @Test
    void refusesForeignKeysThatFormACycleNamingTheTables() {
        assertThatThrownBy(() ->
                        TableOrder.parentsFirst(Set.of("a", "b", "c"), Map.of("a", Set.of("b"), "b", Set.of("a"))))
                .isInstanceOf(GatewayException.class)
                .hasMessage("the foreign keys of tables [a, b] form a cycle; expected: an order in which each table"
                        + " comes after those it references");
    }
}
