package dev.sedge.formats.onnx;

import dev.sedge.api.checkpoint.DType;
import java.util.List;
import java.util.Optional;

/** ONNX {@code TensorProto.DataType} codes and the {@link DType} each is read as. */
final class OnnxTypes {

    private static final List<String> NAMES = List.of("UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16",
            "INT32", "INT64", "STRING", "BOOL", "FLOAT16", "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128",
            "BFLOAT16", "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4", "INT4", "FLOAT4E2M1",
            "FLOAT8E8M0", "UINT2", "INT2");

    private OnnxTypes() {
    }

    /** The dtype of ONNX data type {@code code}, or empty if sedge does not read it. */
    static Optional<DType> dtype(long code) {
        return Optional.ofNullable(switch ((int) Math.min(code, Integer.MAX_VALUE)) {
            case 1 -> DType.F32;
            case 2 -> DType.U8;
            case 3 -> DType.I8;
            case 5 -> DType.I16;
            case 6 -> DType.I32;
            case 7 -> DType.I64;
            case 9 -> DType.BOOL;
            case 10 -> DType.F16;
            case 11 -> DType.F64;
            case 16 -> DType.BF16;
            case 4 -> DType.U16;
            case 12 -> DType.U32;
            case 13 -> DType.U64;
            case 14 -> DType.C64;
            case 17 -> DType.F8_E4M3;
            case 18 -> DType.F8_E4M3FNUZ;
            case 19 -> DType.F8_E5M2;
            case 20 -> DType.F8_E5M2FNUZ;
            case 23 -> DType.F4;
            case 24 -> DType.F8_E8M0;
            default -> null;
        });
    }

    /** The ONNX name of {@code code} ({@code FLOAT}), or {@code unknown}. */
    static String name(long code) {
        return code >= 0 && code < NAMES.size() ? NAMES.get((int) code) : "unknown";
    }
}
