using System.Numerics;
using System.Security.Cryptography;
using Apache.Arrow;
using OrleansStreams.Engine.Expressions.Analysis;
using OrleansStreams.Engine.Expressions.Bound;
using OrleansStreams.Engine.Expressions.Evaluation;
using OrleansStreams.Engine.Types;

namespace OrleansStreams.Engine.Expressions.Functions;

/// <summary>md5, sha1, sha2 (as lower-case hex) and Spark's murmur3 <c>hash(…)</c>.</summary>
internal static class HashFunctions
{
    public static IEnumerable<FunctionDefinition> All() =>
    [
        new LambdaFunction("md5", 1, 1, (call, args, context) => Digest(call, Binary(call, args[0], context), MD5.HashData)),
        new LambdaFunction("sha1", 1, 1, (call, args, context) => Digest(call, Binary(call, args[0], context), SHA1.HashData)),
        new LambdaFunction("sha", 1, 1, (call, args, context) => Digest(call, Binary(call, args[0], context), SHA1.HashData)),
        new LambdaFunction("sha2", 2, 2, Sha2),
        new LambdaFunction("hash", 1, int.MaxValue, Hash),
    ];

    /// <summary>Strings hash by their UTF-8 bytes.</summary>
    private static BoundExpression Binary(FunctionCall call, BoundExpression argument, BindContext context) =>
        argument.Type is BinaryType ? argument : context.Cast(context.Coerce(call, argument, StringType.Instance, 1), BinaryType.Instance);

    private static BoundExpression Sha2(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context)
    {
        var bits = Kernels.Constant<int>(call, context.Cast(args[1], IntegerType.Instance), 2, "the bit length");
        Func<ReadOnlySpan<byte>, byte[]>? digest = bits switch
        {
            0 or 256 => SHA256.HashData,
            384 => SHA384.HashData,
            512 => SHA512.HashData,
            _ => null, // Spark returns NULL for an unsupported bit length (224 is not available here either)
        };
        return digest is null ? new BoundLiteral(null, StringType.Instance, call.Sql) : Digest(call, Binary(call, args[0], context), digest);
    }

    private static BoundExpression Digest(FunctionCall call, BoundExpression input, Func<ReadOnlySpan<byte>, byte[]> digest) =>
        new ComputedExpression(StringType.Instance, input.Nullable, call.Sql, [input], (a, _) =>
            Kernels.MapBytes(a[0], StringType.Instance, (value, output) =>
            {
                var hash = digest(value);
                var hex = output.GetSpan(hash.Length * 2);
                for (var i = 0; i < hash.Length; i++)
                {
                    hex[2 * i] = Hex(hash[i] >> 4);
                    hex[(2 * i) + 1] = Hex(hash[i] & 0xF);
                }

                output.Advance(hash.Length * 2);
                return true;
            }));

    private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);

    /// <summary>hash(a, b, …): each value folded into the seed in turn (NULLs leave it unchanged), starting from 42.</summary>
    private static BoundExpression Hash(FunctionCall call, IReadOnlyList<BoundExpression> args, BindContext context) =>
        new ComputedExpression(IntegerType.Instance, false, call.Sql, args, (a, n) =>
        {
            var result = new PrimitiveColumn<int>(n);
            var hashes = result.Values;
            hashes.Fill(SparkMurmur3.DefaultSeed);
            for (var k = 0; k < a.Length; k++)
            {
                for (var i = 0; i < n; i++)
                {
                    hashes[i] = HashValue(a[k], i, args[k].Type, hashes[i]);
                }
            }

            return result.Build(Apache.Arrow.Types.Int32Type.Default);
        });

    private static int HashValue(IArrowArray column, int row, DataType type, int seed)
    {
        if (column.IsNull(row))
        {
            return seed;
        }

        switch (column)
        {
            case BooleanArray b:
                return SparkMurmur3.HashInt(b.GetValue(row) == true ? 1 : 0, seed);
            case Int8Array or Int16Array or Int32Array or Date32Array:
                return SparkMurmur3.HashInt(System.Convert.ToInt32(Columns.GetScalar(column, row), System.Globalization.CultureInfo.InvariantCulture), seed);
            case Int64Array l:
                return SparkMurmur3.HashLong(l.Values[row], seed);
            case TimestampArray t:
                return SparkMurmur3.HashLong(t.Values[row], seed);
            case FloatArray f:
                var fv = f.Values[row];
                return SparkMurmur3.HashInt(BitConverter.SingleToInt32Bits(fv == 0f ? 0f : fv), seed); // -0.0 hashes as 0.0
            case DoubleArray d:
                var dv = d.Values[row];
                return SparkMurmur3.HashLong(BitConverter.DoubleToInt64Bits(dv == 0d ? 0d : dv), seed);
            case Decimal128Array m when type is DecimalType { Precision: <= 18 } dt:
                var unscaled = decimal.Round(DecimalValues.Read(m)[row] * (decimal)Math.Pow(10, dt.Scale));
                return SparkMurmur3.HashLong((long)unscaled, seed);
            case Decimal128Array m2 when type is DecimalType dt2:
                var big = new BigInteger(DecimalValues.Read(m2)[row] * (decimal)Math.Pow(10, dt2.Scale));
                return SparkMurmur3.HashBytes(big.ToByteArray(isUnsigned: false, isBigEndian: true), seed);
            case BinaryArray s:
                return SparkMurmur3.HashBytes(s.GetBytes(row), seed);
            case StructArray st when type is StructType stype:
                for (var f = 0; f < st.Fields.Count; f++)
                {
                    seed = HashValue(st.Fields[f], row, stype[f].Type, seed); // Arrow slices a struct's fields with it
                }

                return seed;
            case ListArray list when type is ArrayType at && list is not MapArray:
                for (var e = list.ValueOffsets[row]; e < list.ValueOffsets[row + 1]; e++)
                {
                    seed = HashValue(list.Values, e, at.ElementType, seed);
                }

                return seed;
            default:
                throw new NotSupportedException($"hash() of a {type.SimpleString} value is not supported");
        }
    }
}
