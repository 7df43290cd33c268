package dev.sedge.formats.pytorch;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/** Python values as text: {@code str()} of scalars (for names and metadata), and short descriptions for messages. */
final class PythonText {

    private static final int DESCRIBE_LIMIT = 120;

    private PythonText() {
    }

    /** Whether {@code value} is a scalar {@link #str} renders: str, int, float, bool or None. */
    static boolean isScalar(Object value) {
        return value instanceof String || value instanceof Long || value instanceof java.math.BigInteger
                || value instanceof Double || value instanceof Boolean || value instanceof Pickled.None
                || value instanceof Pickled.TorchDtype;
    }

    /**
     * Python's {@code str()} of a scalar: {@code True}, {@code None}, {@code 12}, {@code 0.0001},
     * {@code 1e-08}.
     *
     * @throws IllegalArgumentException if {@code value} is not a scalar
     */
    static String str(Object value) {
        return switch (value) {
            case String s -> s;
            case Boolean b -> b ? "True" : "False";
            case Pickled.None n -> "None";
            case Double d -> ofDouble(d);
            case Long l -> l.toString();
            case java.math.BigInteger i -> i.toString();
            case Pickled.TorchDtype t -> "torch." + t.name();
            default -> throw new IllegalArgumentException("not a Python scalar: " + value.getClass().getName());
        };
    }

    /** Python's {@code repr(float)}: shortest round-trip digits, positional from 1e-4 to below 1e16. */
    static String ofDouble(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0.0" : "0.0";
        }
        BigDecimal d = shortest(v);
        int exponent = d.precision() - d.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            String plain = d.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = d.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (v < 0 ? "-" : "") + mantissa + String.format("e%+03d", exponent);
    }

    /**
     * The decimal with the fewest significant digits that reads back as {@code v}, the nearest
     * one if several: Python's rule. ({@code Double.toString} always gives two digits or more, so
     * it prints 4.9E-324 where Python prints 5e-324.)
     */
    private static BigDecimal shortest(double v) {
        BigDecimal exact = new BigDecimal(v);
        for (int digits = 1; digits < 17; digits++) {
            BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == v) {
                return candidate.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    /** A short description of any unpickled value, for messages. */
    static String describe(Object value) {
        String text = switch (value) {
            case null -> "nothing";
            case Pickled.Tuple t -> "tuple" + abbreviated(t.items());
            case Pickled.Global g -> "global " + g.qualified();
            case Pickled.Storage s -> "storage '" + s.key() + "' (" + s.dtype() + " x " + s.elements() + ")";
            case Pickled.TensorRef t -> "tensor " + t.shape();
            case List<?> l -> "list" + abbreviated(l);
            case Map<?, ?> m -> "dict of " + m.size() + " items";
            case byte[] b -> "bytes of length " + b.length;
            case String s -> "'" + s + "'";
            default -> isScalar(value) ? str(value) : value.getClass().getSimpleName();
        };
        return text.length() > DESCRIBE_LIMIT ? text.substring(0, DESCRIBE_LIMIT) + "…" : text;
    }

    private static String abbreviated(List<?> items) {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < items.size() && out.length() < DESCRIBE_LIMIT; i++) {
            Object item = items.get(i);
            out.append(i > 0 ? ", " : "").append(item instanceof List<?> || item instanceof Pickled.Tuple
                    ? "…" : describe(item));
        }
        return out.append(")").toString();
    }
}
