using System.Text;
using System.Text.Json;

namespace Coffer.Core.Access;

/// <summary>Finds where each statement starts and ends in the document's text (line and column,
/// 1-based), for SimulatePrincipalPolicy's MatchedStatements and <c>coffer access explain</c>.</summary>
internal static class StatementPositions
{
    public static void Assign(string json, IReadOnlyList<PolicyStatement> statements)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 16 });
        var inStatement = false;
        var statementDepth = -1;
        var index = 0;
        long start = 0;
        while (reader.Read())
        {
            if (!inStatement)
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("Statement"u8))
                {
                    reader.Read();
                    inStatement = true;
                    statementDepth = reader.TokenType == JsonTokenType.StartArray ? 2 : 1;
                    if (statementDepth == 1)
                    {
                        start = reader.TokenStartIndex;
                        reader.Skip();
                        Set(statements, 0, bytes, start, reader.TokenStartIndex);
                        return;
                    }
                }

                continue;
            }

            if (reader.TokenType == JsonTokenType.StartObject && reader.CurrentDepth == statementDepth)
            {
                start = reader.TokenStartIndex;
                reader.Skip();
                Set(statements, index++, bytes, start, reader.TokenStartIndex);
            }
            else if (reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == statementDepth - 1)
            {
                return;
            }
        }
    }

    private static void Set(IReadOnlyList<PolicyStatement> statements, int index, byte[] bytes, long start, long end)
    {
        if (index >= statements.Count)
        {
            return;
        }

        statements[index].Start = Position(bytes, start);
        statements[index].End = Position(bytes, end + 1);
    }

    private static PolicyPosition Position(byte[] bytes, long offset)
    {
        int line = 1, column = 1;
        for (var i = 0; i < offset && i < bytes.Length; i++)
        {
            if (bytes[i] == '\n')
            {
                line++;
                column = 1;
            }
            else if ((bytes[i] & 0xC0) != 0x80)
            {
                column++;
            }
        }

        return new PolicyPosition(line, column);
    }
}
