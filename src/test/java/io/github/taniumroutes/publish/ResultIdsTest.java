package io.github.taniumroutes.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class ResultIdsTest {

    @Test
    void idIsAFixedNameBasedUuid() {
        assertThat(ResultIds.of("alert-1", "enrich")).isEqualTo("80d7f0c6-063e-3e87-b5ad-90b42f8773e9");
        assertThat(ResultIds.of("alert-1", "respond")).isEqualTo("f9b8afd8-40e7-32eb-b448-6472dd2a7abb");
    }

    @Test
    void sameInputsGiveTheSameId() {
        assertThat(ResultIds.of("x-42", "enrich")).isEqualTo(ResultIds.of("x-42", "enrich"));
    }

    @Test
    void idIsAVersion3Uuid() {
        UUID id = UUID.fromString(ResultIds.of("alert-1", "enrich"));

        assertThat(id.version()).isEqualTo(3);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void differentAlertsOrStepsGiveDifferentIds() {
        assertThat(ResultIds.of("alert-1", "enrich")).isNotEqualTo(ResultIds.of("alert-2", "enrich"));
        assertThat(ResultIds.of("alert-1", "enrich")).isNotEqualTo(ResultIds.of("alert-1", "respond"));
    }

    @Test
    void theSeparatorKeepsAlertIdAndStepApart() {
        assertThat(ResultIds.of("ab", "c")).isNotEqualTo(ResultIds.of("a", "bc"));
    }
}
