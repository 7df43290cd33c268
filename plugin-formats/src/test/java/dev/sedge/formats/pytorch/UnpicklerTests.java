package dev.sedge.formats.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sedge.api.DataFormatException;
import dev.sedge.api.checkpoint.DType;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnpicklerTests {

    /** pickle.dumps({'a': 1, 'b': 0.5, 'c': 2**64, 'd': [True, None, 'x'], 'e': (1, 2), 'g': -3, 'h': 70000, 'i': 'é', 'k': -2**70}, protocol=2) */
    private static final String PROTOCOL_2 = "80027d71002858010000006171014b015801000000627102473fe000000000000058010000006371"
            + "038a0900000000000000000158010000006471045d710528884e58010000007871066558010000006571074b014b0286710858010000"
            + "006771094afdffffff580100000068710a4a70110100580100000069710b5802000000c3a9710c58010000006b710d8a09000000000000"
            + "0000c0752e";

    /** The same plus 'f': b'xy' and 'j': {1, 2}, protocol=4 (FRAME, MEMOIZE, SHORT_BINUNICODE, EMPTY_SET …). */
    private static final String PROTOCOL_4 = "8004957e000000000000007d94288c0161944b018c016294473fe00000000000008c016394"
            + "8a090000000000000000018c0164945d9428884e8c017894658c0165944b014b0286948c01669443027879948c0167944afdffffff8c0168"
            + "944a701101008c0169948c02c3a9948c016a948f94284b014b02908c016b948a090000000000000000c0752e";

    private static Object load(String hex) {
        return Unpickler.load("test.pt", HexFormat.of().parseHex(hex));
    }

    @Test
    void readsThePlainValuesOfProtocol2() {
        Map<Object, Object> expected = new LinkedHashMap<>();
        expected.put("a", 1L);
        expected.put("b", 0.5);
        expected.put("c", BigInteger.TWO.pow(64));
        expected.put("d", List.of(true, Pickled.None.NONE, "x"));
        expected.put("e", new Pickled.Tuple(List.of(1L, 2L)));
        expected.put("g", -3L);
        expected.put("h", 70000L);
        expected.put("i", "é");
        expected.put("k", BigInteger.TWO.pow(70).negate());
        assertEquals(expected, load(PROTOCOL_2));
    }

    @Test
    void readsTheFramedMemoizedOpcodesOfProtocol4() {
        Map<?, ?> dict = (Map<?, ?>) load(PROTOCOL_4);
        assertEquals(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"), List.copyOf(dict.keySet()));
        assertEquals("xy", new String((byte[]) dict.get("f"), java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(List.of(1L, 2L), dict.get("j"));
        assertEquals(BigInteger.TWO.pow(70).negate(), dict.get("k"));
    }

    @Test
    void rebuildsAnAllowedGlobalNamedOnTheStack() {
        // pickle.dumps(OrderedDict(a=1), protocol=4): STACK_GLOBAL collections OrderedDict, REDUCE, SETITEM
        Object od = load("80049529000000000000008c0b636f6c6c656374696f6e73948c0b4f7264657265644469637494"
                + "93942952948c0161944b01732e");
        assertEquals(Map.of("a", 1L), od);
    }

    @Test
    void refusesAGlobalNamedOnTheStackToo() {
        // pickle.dumps(os.system, protocol=4)
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> load("80049514000000000000008c05706f736978948c0673797374656d9493942e"));
        assertTrue(e.getMessage().startsWith("test.pt asks for the Python global 'posix.system'"), e.getMessage());
    }

    @Test
    void readsTorchDtypesByNameAndRefusesTheOnesItDoesNotRead() {
        // pickle.dumps(torch.float8_e4m3fn, protocol=2): GLOBAL 'torch float8_e4m3fn'
        assertEquals(new Pickled.TorchDtype("float8_e4m3fn", DType.F8_E4M3),
                load("800263746f7263680a666c6f6174385f65346d33666e0a2e"));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> load("800263746f7263680a636f6d706c657833320a2e"));
        assertTrue(e.getMessage().contains("'torch.complex32' (GLOBAL at byte 2), which sedge refuses"), e.getMessage());
    }

    @Test
    void rebuildsAVersion3TensorOverAnUntypedStorageOnly() {
        // torch._utils._rebuild_tensor_v3(('storage', torch.UntypedStorage, '0', 'cpu', 4), 0, (4,), (1,), False, {},
        //     torch.float8_e4m3fn), as torch 2.x saves an 8-bit float tensor
        String v3 = "800263746f7263682e5f7574696c730a5f72656275696c645f74656e736f725f76330a2828580700000073746f72616765"
                + "63746f7263680a%s0a58010000003058030000006370754b0474514b004b04854b0185897d63746f7263680a666c6f6174"
                + "385f65346d33666e0a74522e";
        Pickled.TensorRef ref = (Pickled.TensorRef) load(v3.formatted("556e747970656453746f72616765"));
        assertEquals(new Pickled.TensorRef(new Pickled.Storage("0", DType.U8, 4), DType.F8_E4M3, 0, List.of(4L),
                List.of(1L)), ref);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> load(v3.formatted("466c6f617453746f72616765"))); // over torch.FloatStorage
        assertTrue(e.getMessage().contains("torch._utils._rebuild_tensor_v3 is called with"), e.getMessage());
    }

    @Test
    void readsProtocol2BytesThroughCodecsEncodeWithLatin1Only() {
        // pickle.dumps(b'xy', protocol=2) (torch.save's protocol): _codecs.encode('xy', 'latin1')
        assertArrayEquals(new byte[] {'x', 'y'}, (byte[]) load("8002635f636f646563730a656e636f64650a710058020000007879"
                + "710158060000006c6174696e3171028671035271042e"));
        // the same call with another codec is not what pickle writes: refused, nothing decoded
        DataFormatException e = assertThrows(DataFormatException.class, () -> load("8002635f636f646563730a656e636f64650a710058020000007879710158050000007574662d3871028671035271042e"));
        assertTrue(e.getMessage().contains("_codecs.encode") && e.getMessage().contains("not the arguments"),
                e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "80022929812e|opcode 0x81 (NEWOBJ) at byte 4 is not one a state dict uses",
        "800249310a2e|opcode 0x49 (protocol-0 text opcode) at byte 2",
        "80027d7100|it ends without a STOP opcode",
        "800258ffffffff|claims 4294967295 bytes, only 0 remain",
        "800268052e|memo entry 5 is read at byte 2 before it is written",
        "80027d5d4e732e|a dict key is list()",
        "8002612e|reads an empty stack",
        "8002312e|needs a MARK, and there is none",
        "80024b014b01522e|REDUCE at byte 6 needs an argument tuple",
        "800629|pickle protocol 6",
        "80025d4b01622e|BUILD at byte 5 sets state 1 on list()"})
    void refusesCorruptOrForbiddenPicklesSayingWhereAndWhy(String hex, String expected) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> load(hex));
        assertTrue(e.getMessage().startsWith("test.pt") && e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void refusesACyclicContainerWhenNamingTensors() {
        Object cyclic = load("80025d71006800612e"); // l = []; l.append(l)
        DataFormatException e = assertThrows(DataFormatException.class, () -> PickleTree.of("test.pt", cyclic));
        assertTrue(e.getMessage().contains("contains itself"), e.getMessage());
    }

    @Test
    void refusesNestingDeeperThanTheLimitWithoutOverflowingTheStack() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x80, 2});
        int depth = PickleTree.MAX_DEPTH + 50;
        for (int i = 0; i < depth; i++) {
            out.write(']');
        }
        for (int i = 1; i < depth; i++) {
            out.write('a');
        }
        out.write('.');
        Object deep = Unpickler.load("test.pt", out.toByteArray());
        DataFormatException e = assertThrows(DataFormatException.class, () -> PickleTree.of("test.pt", deep));
        assertTrue(e.getMessage().contains("nest deeper than " + PickleTree.MAX_DEPTH), e.getMessage());
    }

    @Test
    void refusesTwoValuesOnOneDottedPath() {
        // pickle.dumps({'a.b': 1, 'a': {'b': 2}}, protocol=2)
        Object tree = load("80027d7100285803000000612e6271014b0158010000006171027d710358010000006271044b0273752e");
        DataFormatException e = assertThrows(DataFormatException.class, () -> PickleTree.of("test.pt", tree));
        assertTrue(e.getMessage().contains("two values are named 'a.b'"), e.getMessage());
    }

    @Test
    void keepsScalarsAsMetadataUnderTheirPaths() {
        PickleTree tree = PickleTree.of("test.pt", load(PROTOCOL_2));
        assertEquals(Map.of(), tree.tensors());
        assertEquals("1", tree.metadata().get("a"));
        assertEquals("0.5", tree.metadata().get("b"));
        assertEquals("18446744073709551616", tree.metadata().get("c"));
        assertEquals("True", tree.metadata().get("d.0"));
        assertEquals("None", tree.metadata().get("d.1"));
        assertEquals("2", tree.metadata().get("e.1"));
    }
}
