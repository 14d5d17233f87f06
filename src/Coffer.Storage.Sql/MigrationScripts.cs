using System.Globalization;
using System.Reflection;

namespace Coffer.Storage.Sql;

/// <summary>The numbered migrations an engine's assembly carries as embedded resources
/// (<c>Migrations/NNNN_name.sql</c>), in order. Each engine has its own dialect of the same numbers.</summary>
internal static class MigrationScripts
{
    public static IEnumerable<(int Version, string Name, string Sql)> In(Assembly assembly) =>
        assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Migrations/", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n["Migrations/".Length..];
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return (int.Parse(file[..4], CultureInfo.InvariantCulture), file, reader.ReadToEnd());
            })
            .OrderBy(m => m.Item1);
}
