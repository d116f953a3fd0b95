package dev.oauthlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.oauthlet.key.SigningAlgorithm;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The configuration sits below the key package (docs/architecture.md), so it names the algorithms
 * itself; this keeps that list and {@link SigningAlgorithm} the same.
 */
class SigningConfigTest {

    @Test
    void algorithmsWhenComparedWithSigningAlgorithmThenSameNamesInSameOrder() {
        assertEquals(Arrays.stream(SigningAlgorithm.values()).map(Enum::name).toList(), SigningConfig.ALGORITHMS);
    }
}
