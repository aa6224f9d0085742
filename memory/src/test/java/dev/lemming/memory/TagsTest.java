package dev.lemming.memory;

import dev.lemming.memory.object.Tags;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TagsTest {
    @Test
    void smallIntegersRoundTripAcrossTheirWholeRange() {
        for (long v : new long[]{0, 1, -1, 42, -42, Tags.MAX_SMALL_INTEGER, Tags.MIN_SMALL_INTEGER, 1L << 59, -(1L << 59)}) {
            long w = Tags.smallInteger(v);
            assertTrue(Tags.isSmallInteger(w));
            assertFalse(Tags.isPointer(w));
            assertEquals(v, Tags.smallIntegerValue(w));
        }
        assertFalse(Tags.fitsSmallInteger(Tags.MAX_SMALL_INTEGER + 1));
        assertFalse(Tags.fitsSmallInteger(Tags.MIN_SMALL_INTEGER - 1));
    }

    @Test
    void taggedAdditionNeedsOnlyOneCorrection() {
        // what the JIT's inline add relies on: (a<<3|1) + (b<<3|1) - 1 == (a+b)<<3|1
        long a = Tags.smallInteger(123456789), b = Tags.smallInteger(-987654321);
        assertEquals(Tags.smallInteger(123456789 - 987654321), a + b - 1);
    }

    @Test
    void charactersCarryTheirCodePoint() {
        for (int cp : new int[]{0, 'a', 0x10FFFF}) {
            long w = Tags.character(cp);
            assertTrue(Tags.isCharacter(w));
            assertEquals(cp, Tags.characterValue(w));
        }
    }

    @Test
    void smallFloatsRoundTripWhenTheyFitAndRefuseWhenTheyDoNot() {
        for (double d : new double[]{0.0, -0.0, 1.0, -1.5, Math.PI, 1e38, -1.2e-38, 3.4e38, 1.2e-38}) {
            assertTrue(Tags.fitsSmallFloat(d), "fits " + d);
            long w = Tags.smallFloat(d);
            assertTrue(Tags.isSmallFloat(w));
            assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits(Tags.smallFloatValue(w)), "round trip " + d);
        }
        for (double d : new double[]{1e300, -1e-300, 1e-38, Double.NaN, Double.POSITIVE_INFINITY, Double.MIN_VALUE}) {
            assertFalse(Tags.fitsSmallFloat(d), "does not fit " + d);
        }
    }
}
