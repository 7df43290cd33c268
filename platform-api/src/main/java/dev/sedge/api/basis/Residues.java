package dev.sedge.api.basis;

import java.util.Arrays;

/**
 * The arithmetic of Z_p that bases and probes over modular tasks share: primality, the smallest
 * primitive root g (the generator of the cyclic group Z_p^×) and the discrete logarithm to it, and the
 * smallest square root of −1. Stateless.
 */
public final class Residues {

    private Residues() {
    }

    /** Whether {@code n} is prime. */
    public static boolean isPrime(int n) {
        if (n < 2) {
            return false;
        }
        for (int d = 2; (long) d * d <= n; d++) {
            if (n % d == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The smallest g whose powers mod the prime p reach every non-zero residue.
     *
     * @throws IllegalArgumentException if p is not prime
     */
    public static int smallestPrimitiveRoot(int p) {
        requirePrime(p);
        for (int g = 2; g < p; g++) {
            if (logarithms(p, g) != null) {
                return g;
            }
        }
        return 1; // p = 2: Z_2^× = {1}
    }

    /**
     * log[x] = k with g^k ≡ x (mod p) and 0 ≤ k &lt; p − 1, for x = 1..p−1; log[0] = −1 (zero has none).
     *
     * @param g a primitive root mod p ({@link #smallestPrimitiveRoot})
     * @throws IllegalArgumentException if p is not prime or g is no primitive root mod p
     */
    public static int[] discreteLogs(int p, int g) {
        requirePrime(p);
        int[] log = logarithms(p, g);
        if (log == null) {
            throw new IllegalArgumentException(g + " is no primitive root mod " + p);
        }
        return log;
    }

    /**
     * The smallest i with i² ≡ −1 (mod p), which exists for a prime p ≡ 1 (mod 4) (and p = 2).
     *
     * @return the root, or −1 when there is none
     * @throws IllegalArgumentException if p is not prime
     */
    public static int sqrtMinusOne(int p) {
        requirePrime(p);
        for (long i = 1; i < p; i++) {
            if ((i * i + 1) % p == 0) {
                return (int) i;
            }
        }
        return -1;
    }

    private static void requirePrime(int p) {
        if (!isPrime(p)) {
            throw new IllegalArgumentException(p + " is not prime");
        }
    }

    private static int[] logarithms(int p, int g) {
        int[] log = new int[p];
        Arrays.fill(log, -1);
        long x = 1;
        for (int k = 0; k < p - 1; k++) {
            if (log[(int) x] >= 0) {
                return null;
            }
            log[(int) x] = k;
            x = x * g % p;
        }
        return log;
    }
}
