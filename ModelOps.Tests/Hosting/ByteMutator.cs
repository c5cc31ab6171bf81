namespace ModelOps.Tests.Hosting;

/// <summary>
/// A seeded byte-level mutator in the manner of zzuf and AFL: it works on bytes, not JSON text,
/// so it produces what a text-level fuzzer never does (invalid UTF-8 inside strings, broken
/// multi-byte sequences), while most results stay close enough to valid to reach deep parsing.
/// </summary>
public sealed class ByteMutator(Random random)
{
    /// <summary>Sequences no UTF-8 decoder may accept.</summary>
    private static readonly byte[][] InvalidUtf8 =
    [
        [0x80], [0xBF], // lone continuation bytes
        [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0xAF], [0xF0, 0x80, 0x80, 0xAF], // overlong forms
        [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], // UTF-16 surrogates encoded as UTF-8
        [0xF5], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFE], [0xFF], // bytes that never start a sequence
        [0xF4, 0x90, 0x80, 0x80], // above U+10FFFF
        [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], // truncated multi-byte sequences
    ];

    /// <summary>One to four edits of a copy of <paramref name="valid"/> (an edit may undo another; the odd valid body does no harm).</summary>
    public byte[] Mutate(byte[] valid)
    {
        var body = new List<byte>(valid);
        var edits = 1 + random.Next(4);
        for (var e = 0; e < edits; e++)
        {
            Edit(body);
        }

        return [.. body];
    }

    private void Edit(List<byte> body)
    {
        var at = random.Next(body.Count + 1);
        switch (random.Next(8))
        {
            case 0 when body.Count > 0: // flip one bit
                at = Math.Min(at, body.Count - 1);
                body[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1: // flip bits at a zzuf-like ratio of 0.2 % to 5 %
                var ratio = 0.002 + (random.NextDouble() * 0.048);
                for (var i = 0; i < body.Count; i++)
                {
                    body[i] ^= random.NextDouble() < ratio ? (byte)(1 << random.Next(8)) : (byte)0;
                }

                break;
            case 2: // insert a random byte
                body.Insert(at, (byte)random.Next(256));
                break;
            case 3: // delete a short span
                body.RemoveRange(Math.Min(at, body.Count), Math.Min(1 + random.Next(8), body.Count - Math.Min(at, body.Count)));
                break;
            case 4: // invalid UTF-8, half the time right after a quote so it lands inside a string
                body.InsertRange(InsideString(body) ?? at, InvalidUtf8[random.Next(InvalidUtf8.Length)]);
                break;
            case 5: // truncate
                body.RemoveRange(at, body.Count - at);
                break;
            case 6 when body.Count > 0: // duplicate a span somewhere else
                var start = random.Next(body.Count);
                var span = body.GetRange(start, Math.Min(1 + random.Next(16), body.Count - start));
                body.InsertRange(random.Next(body.Count + 1), span);
                break;
            default: // overwrite one byte with any value
                if (body.Count > 0)
                {
                    body[Math.Min(at, body.Count - 1)] = (byte)random.Next(256);
                }

                break;
        }
    }

    private int? InsideString(List<byte> body)
    {
        if (random.Next(2) == 0)
        {
            return null;
        }

        var quotes = body.Select((b, i) => (b, i)).Where(p => p.b == (byte)'"').Select(p => p.i + 1).ToList();
        return quotes.Count == 0 ? null : quotes[random.Next(quotes.Count)];
    }
}
