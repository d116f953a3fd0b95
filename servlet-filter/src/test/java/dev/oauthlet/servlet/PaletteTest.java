package dev.oauthlet.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.config.PagesConfig;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PaletteTest {

    private static String color(Random r) {
        return String.format("#%06x", r.nextInt(0x1000000));
    }

    @Test
    void contrastWhenBlackOnWhiteThen21AndWhenEqualThen1() {
        assertEquals(21.0, Palette.contrast("#000000", "#ffffff"), 0.01);
        assertEquals(1.0, Palette.contrast("#2457d6", "#2457d6"), 0.001);
        assertEquals(Palette.contrast("#fff", "#2457d6"), Palette.contrast("#2457d6", "#ffffff"), 0.001);
    }

    @Test
    void ofWhenAnyConfiguredColoursThenEveryTextPairingKeepsWcagAaContrast() {
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            Palette p = Palette.of(new PagesConfig("Acme", null, color(random), color(random)));
            assertTrue(Palette.contrast(p.onPrimary(), p.primary()) >= 4.5, "button text on " + p.primary());
            assertTrue(Palette.contrast(p.primaryText(), "#ffffff") >= 4.5, "accent text " + p.primaryText());
            assertTrue(Palette.contrast(p.focus(), "#ffffff") >= 3, "focus ring " + p.focus());
            assertTrue(Palette.contrast(p.onBackground(), p.background()) >= 4.5, "footer on " + p.background());
        }
    }

    @Test
    void ofWhenPrimaryIsLightThenDarkTextOnButtonsAndDarkAccents() {
        Palette p = Palette.of(new PagesConfig("Acme", null, "#ffd400", "#f4f6fb"));
        assertEquals(Palette.TEXT, p.onPrimary());
        assertEquals(Palette.TEXT, p.primaryText());
        assertEquals(Palette.TEXT, p.focus());
    }

    @Test
    void ofWhenPrimaryIsDarkThenWhiteTextAndThePrimaryAsAccent() {
        Palette p = Palette.of(new PagesConfig("Acme", null, "#2457D6", "#f4f6fb"));
        assertEquals("#ffffff", p.onPrimary());
        assertEquals("#2457d6", p.primaryText());
    }

    @Test
    void normalizeWhenShortHexThenLongLowerCase() {
        assertEquals("#aabbcc", Palette.normalize("#ABC"));
    }
}
