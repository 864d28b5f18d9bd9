package io.cdnodes.coordinator.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeySecretsTest {

    private final SecureRandom random = new SecureRandom();

    @Test
    void anIssuedKeyHasItsShapeAndIsCheckedByItsSaltedHash() {
        KeySecrets.Issued issued = KeySecrets.issue(random);

        assertThat(issued.text()).matches("cdn_[0-9a-f]{16}_[A-Za-z0-9_-]{43}").startsWith("cdn_" + issued.lookupId() + "_");
        assertThat(issued.salt()).hasSize(16);
        assertThat(issued.hash()).hasSize(32);
        KeySecrets.Presented presented = KeySecrets.parse(issued.text()).orElseThrow();
        assertThat(presented.lookupId()).isEqualTo(issued.lookupId());
        assertThat(KeySecrets.matches(issued.salt(), issued.hash(), presented.secret())).isTrue();
        assertThat(KeySecrets.hash(issued.salt(), presented.secret())).isEqualTo(issued.hash());
    }

    @Test
    void theHashIsNeitherTheSecretNorTheSameUnderAnotherSalt() {
        KeySecrets.Issued issued = KeySecrets.issue(random);
        byte[] secret = KeySecrets.parse(issued.text()).orElseThrow().secret();

        assertThat(issued.hash()).isNotEqualTo(secret);
        assertThat(KeySecrets.hash(KeySecrets.salt(random), secret)).isNotEqualTo(issued.hash());
        assertThat(KeySecrets.matches(KeySecrets.salt(random), issued.hash(), secret)).isFalse();
    }

    @Test
    void anotherKeysSecretOrAChangedOneDoesNotMatch() {
        KeySecrets.Issued a = KeySecrets.issue(random);
        KeySecrets.Issued b = KeySecrets.issue(random);
        byte[] bSecret = KeySecrets.parse(b.text()).orElseThrow().secret();
        byte[] aSecret = KeySecrets.parse(a.text()).orElseThrow().secret();

        assertThat(KeySecrets.matches(a.salt(), a.hash(), bSecret)).isFalse();
        aSecret[31] ^= 1;
        assertThat(KeySecrets.matches(a.salt(), a.hash(), aSecret)).isFalse();
    }

    @Test
    void keysAreRandom() {
        Set<String> ids = new HashSet<>();
        Set<String> texts = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            KeySecrets.Issued k = KeySecrets.issue(random);
            ids.add(k.lookupId());
            texts.add(k.text());
        }
        assertThat(ids).hasSize(200);
        assertThat(texts).hasSize(200);
    }

    @Test
    void onlyTheExactShapeParses() {
        String good = KeySecrets.issue(random).text();
        String secret = good.substring(21);

        assertThat(KeySecrets.parse(good)).isPresent();
        for (String bad : new String[] {null, "", "cdn_", good.substring(1), good + "A", "CDN" + good.substring(3),
                "cdn_" + good.substring(4, 20).toUpperCase() + "_" + secret, good.replace('_', '-'),
                "cdn_0123456789abcdeg_" + secret, "cdn_0123456789abcdef_" + secret.substring(1) + "=",
                "cdn_0123456789abcdef_" + secret.substring(0, 42) + "+", good.substring(0, 63) + " "}) {
            assertThat(KeySecrets.parse(bad)).as(String.valueOf(bad)).isEmpty();
        }
    }

    @Test
    void onlyTheCanonicalSpellingOfTheSecretParses() {
        // 43 base64url characters carry 258 bits: the last one's two spare bits must be zero
        String good = KeySecrets.issue(random).text();
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(good.charAt(63));
        int accepted = 0;
        for (int spare = 0; spare < 4; spare++) {
            String variant = good.substring(0, 63) + alphabet.charAt((last & ~3) | spare);
            if (KeySecrets.parse(variant).isPresent()) {
                accepted++;
                assertThat(variant).isEqualTo(good);
            }
        }
        assertThat(accepted).isEqualTo(1);
    }

    @Test
    void printingAKeyShowsOnlyItsPublicId() {
        KeySecrets.Issued issued = KeySecrets.issue(random);
        KeySecrets.Presented presented = KeySecrets.parse(issued.text()).orElseThrow();

        assertThat(issued.toString()).contains(issued.lookupId()).doesNotContain(issued.text().substring(21));
        assertThat(presented.toString()).contains(issued.lookupId()).doesNotContain(issued.text().substring(21));
    }
}
