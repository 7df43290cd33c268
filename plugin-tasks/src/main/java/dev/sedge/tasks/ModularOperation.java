package dev.sedge.tasks;

/**
 * A binary operation over Z_p. {@link #apply} takes a, b in [0, p) and returns a value in [0, p).
 */
enum ModularOperation {
    ADD("mod-add", "(a + b) mod p", false) {
        @Override
        int apply(int a, int b, int p) {
            return (a + b) % p;
        }
    },
    SUB("mod-sub", "(a - b) mod p", false) {
        @Override
        int apply(int a, int b, int p) {
            return Math.floorMod(a - b, p);
        }
    },
    MUL("mod-mul", "(a * b) mod p, a and b non-zero", true) {
        @Override
        int apply(int a, int b, int p) {
            return (int) ((long) a * b % p);
        }
    },
    DIV("mod-div", "(a * b^-1) mod p, a and b non-zero", true) {
        @Override
        int apply(int a, int b, int p) {
            return (int) ((long) a * inverse(b, p) % p);
        }
    },
    X2Y2("mod-x2y2", "(a^2 + b^2) mod p", false) {
        @Override
        int apply(int a, int b, int p) {
            return (int) (((long) a * a + (long) b * b) % p);
        }
    },
    A2ABB2("mod-a2abb2", "(a^2 + ab + b^2) mod p", false) {
        @Override
        int apply(int a, int b, int p) {
            return (int) (((long) a * a + (long) a * b + (long) b * b) % p);
        }
    },
    A3AB("mod-a3ab", "(a^3 + ab) mod p", false) {
        @Override
        int apply(int a, int b, int p) {
            long a3 = (long) a * a % p * a % p;
            return (int) ((a3 + (long) a * b) % p);
        }
    };

    private final String taskName;
    private final String formula;
    private final boolean nonZero;

    ModularOperation(String taskName, String formula, boolean nonZero) {
        this.taskName = taskName;
        this.formula = formula;
        this.nonZero = nonZero;
    }

    abstract int apply(int a, int b, int p);

    String taskName() {
        return taskName;
    }

    String formula() {
        return formula;
    }

    /** The task name without its {@code mod-} prefix, as {@link MultitaskTask} lists operations: {@code add}. */
    String shortName() {
        return taskName.substring("mod-".length());
    }

    /** Whether inputs with a = 0 or b = 0 are left out (multiplicative group only). */
    boolean nonZero() {
        return nonZero;
    }

    /** b^-1 mod p for prime p, by Fermat: b^(p-2). */
    static long inverse(long b, int p) {
        long result = 1;
        long base = b % p;
        for (long e = p - 2; e > 0; e >>= 1) {
            if ((e & 1) == 1) {
                result = result * base % p;
            }
            base = base * base % p;
        }
        return result;
    }
}
