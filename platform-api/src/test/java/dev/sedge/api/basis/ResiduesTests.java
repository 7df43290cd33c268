package dev.sedge.api.basis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The arithmetic of Z_p, checked against its definitions by brute force. */
class ResiduesTests {

    @Test
    void primesAreThoseWithNoDivisor() {
        for (int n = -3; n < 200; n++) {
            boolean prime = n >= 2;
            for (int d = 2; d < n && prime; d++) {
                prime = n % d != 0;
            }
            assertEquals(prime, Residues.isPrime(n), "n = " + n);
        }
    }

    @Test
    void theSmallestPrimitiveRootGeneratesEveryNonZeroResidueAndNoSmallerOneDoes() {
        for (int p : new int[] {3, 5, 7, 11, 13, 71, 97, 113}) {
            int g = Residues.smallestPrimitiveRoot(p);
            assertEquals(p - 1, order(g, p), "g = " + g + " mod " + p);
            for (int h = 2; h < g; h++) {
                assertTrue(order(h, p) < p - 1, h + " is a smaller primitive root mod " + p);
            }
            int[] log = Residues.discreteLogs(p, g);
            assertEquals(-1, log[0]);
            for (int x = 1; x < p; x++) {
                assertEquals(x, power(g, log[x], p), "g^log(" + x + ") mod " + p);
            }
        }
        assertEquals(5, Residues.smallestPrimitiveRoot(97));
        assertEquals(7, Residues.smallestPrimitiveRoot(71));
    }

    @Test
    void minusOneHasASquareRootExactlyWhenPIsOneModFour() {
        for (int p : new int[] {3, 5, 7, 11, 13, 17, 97, 101, 103}) {
            int i = Residues.sqrtMinusOne(p);
            if (p % 4 == 1) {
                assertEquals(p - 1, (long) i * i % p, "i² ≡ −1 mod " + p);
                for (int j = 1; j < i; j++) {
                    assertTrue(((long) j * j + 1) % p != 0, "a smaller root " + j);
                }
            } else {
                assertEquals(-1, i, "no root mod " + p);
            }
        }
        assertEquals(22, Residues.sqrtMinusOne(97));
    }

    @Test
    void refusesACompositeModulusAndANonGenerator() {
        assertThrows(IllegalArgumentException.class, () -> Residues.smallestPrimitiveRoot(21));
        assertThrows(IllegalArgumentException.class, () -> Residues.discreteLogs(7, 2)); // 2³ ≡ 1 mod 7
        assertFalse(Residues.isPrime(1));
    }

    private static int order(int g, int p) {
        Set<Long> seen = new HashSet<>();
        long x = 1;
        do {
            seen.add(x);
            x = x * g % p;
        } while (x != 1);
        return seen.size();
    }

    private static long power(int g, int k, int p) {
        long x = 1;
        for (int i = 0; i < k; i++) {
            x = x * g % p;
        }
        return x;
    }
}
