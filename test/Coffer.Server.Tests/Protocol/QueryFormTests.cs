using System.Collections;
using System.Text;
using Coffer.Server.Aws.Protocol;

namespace Coffer.Server.Tests.Protocol;

/// <summary>The query protocol's form reader: lists and maps from <c>Name.member.N</c> and <c>Name.entry.N</c>.</summary>
public sealed class QueryFormTests
{
    private static readonly ServiceModel Iam = ServiceModel.Load("iam");

    [Fact]
    public void Reading_a_form_looks_at_each_field_a_bounded_number_of_times_however_many_members_it_has_issue_8()
    {
        // It once scanned every field name for every list item: 16,000 tags in 700 KB cost 2 s of CPU.
        const int tags = 4000;
        var form = new StringBuilder("Action=TagUser&UserName=alice");
        for (var i = 1; i <= tags; i++)
        {
            form.Append($"&Tags.member.{i}.Key=k{i}&Tags.member.{i}.Value=v{i}");
        }

        var fields = new CountingFields(QueryForm.Parse(form.ToString()));

        var json = QueryForm.ToJson(Iam.FindOperation("TagUser")!.Input!, fields);

        Assert.Equal(tags, json["Tags"]!.AsArray().Count);
        Assert.Equal("v4000", (string?)json["Tags"]![tags - 1]!["Value"]);
        Assert.InRange(fields.Touches, 1, 10 * fields.Count);
    }

    [Fact]
    public void A_list_item_is_present_when_any_field_below_it_is()
    {
        var fields = QueryForm.Parse("Tags.member.1.Value=only-a-value&Tags.member.2.Key=b&Tags.member.4.Key=gap");

        var json = QueryForm.ToJson(Iam.FindOperation("TagUser")!.Input!, fields);

        Assert.Equal(2, json["Tags"]!.AsArray().Count);
        Assert.Equal("only-a-value", (string?)json["Tags"]![0]!["Value"]);
    }

    /// <summary>Counts every field the reader looks at: each name enumerated and each lookup.</summary>
    private sealed class CountingFields(Dictionary<string, string> inner) : IReadOnlyDictionary<string, string>
    {
        public long Touches { get; private set; }

        public int Count => inner.Count;

        public IEnumerable<string> Keys => inner.Keys.Select(k => { Touches++; return k; });

        public IEnumerable<string> Values => inner.Values;

        public string this[string key] => inner[key];

        public bool ContainsKey(string key)
        {
            Touches++;
            return inner.ContainsKey(key);
        }

        public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value)
        {
            Touches++;
            return inner.TryGetValue(key, out value);
        }

        public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
        {
            foreach (var pair in inner)
            {
                Touches++;
                yield return pair;
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
