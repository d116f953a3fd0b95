package dev.oauthlet.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SignInContextTest {

    @Test
    void thenWhenPasswordFollowedByOtpThenPwdOtpMfaAndTheMultiFactorClass() {
        SignInContext both = SignInContext.password().then(SignInContext.methods("otp"));
        assertEquals(List.of("pwd", "otp", "mfa"), both.amr());
        assertEquals(SignInContext.ACR_MULTI_FACTOR, both.acrOrDerived());
    }

    @Test
    void thenWhenTheStepAddsNoNewMethodThenNoMfa() {
        assertEquals(List.of("pwd"), SignInContext.password().then(SignInContext.UNKNOWN).amr());
        assertEquals(List.of("pwd"), SignInContext.password().then(SignInContext.methods("pwd")).amr());
        assertEquals(List.of("otp"), SignInContext.UNKNOWN.then(SignInContext.methods("otp")).amr(),
                "an unknown first factor is not counted as one");
    }

    @Test
    void acrOrDerivedWhenDeclaredThenDeclaredElseFromAmrElseNone() {
        assertEquals(SignInContext.ACR_ONE_FACTOR, SignInContext.password().acrOrDerived());
        assertEquals("urn:app:gold", SignInContext.password().then(new SignInContext("urn:app:gold", List.of("hwk"))).acrOrDerived());
        assertEquals("urn:app:silver", SignInContext.password().withAcr("urn:app:silver").then(SignInContext.methods("otp")).acr());
        assertNull(SignInContext.UNKNOWN.acrOrDerived(), "nothing known, no acr claim");
    }

    @Test
    void storedWhenWrittenAndReadThenTheSame() {
        SignInContext c = new SignInContext("urn:app:silver", List.of("pwd", "otp", "mfa"));
        assertEquals(c, SignInContext.stored(c.acr(), c.amrText()));
        assertEquals(SignInContext.UNKNOWN, SignInContext.stored(null, null));
    }

    @Test
    void constructorWhenSpacesControlCharactersOrRepeatsThenRefused() {
        assertThrows(IllegalArgumentException.class, () -> SignInContext.methods("p wd"));
        assertThrows(IllegalArgumentException.class, () -> SignInContext.methods("pwd", "pwd"));
        assertThrows(IllegalArgumentException.class, () -> SignInContext.methods("otp\n"));
        assertThrows(IllegalArgumentException.class, () -> new SignInContext("", List.of()));
    }
}
