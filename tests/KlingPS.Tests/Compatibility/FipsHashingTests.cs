using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using KlingPS.Core;

namespace KlingPS.Tests.Compatibility;

/// <summary>
/// Windows with the FIPS policy on refuses the managed hash classes of .NET Framework (SHA256Managed and the others
/// CryptoConfig may hand out through SHA256.Create()); the core hashes on every submission (journal keys), so it must
/// only name IncrementalHash, which builds the CAPI provider there. No FIPS policy exists here: the shipped
/// KlingPS.Core.dll is read instead, and the hash is checked against the standard's own test vector.
/// </summary>
public class FipsHashingTests
{
    // FIPS 180-2, appendix B.1: SHA-256("abc").
    private const string AbcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    [Fact]
    public void Hashing_gives_the_standards_SHA256_and_journal_keys_keep_their_form()
    {
        Assert.Equal(AbcSha256, Hashing.Sha256Hex("abc"));
        // Keys are the hash's first 16 bytes: journals written before stay valid.
        Assert.Equal(AbcSha256.Substring(0, 32), RequestKey.Of("abc"));
    }

    [Fact]
    public void The_shipped_core_names_no_hash_class_that_the_FIPS_policy_refuses()
    {
        using var pe = new PEReader(File.OpenRead(Path.Combine(BuiltModule.Folder, "KlingPS.Core.dll")));
        var md = pe.GetMetadataReader();
        string TypeName(EntityHandle h)
        {
            if (h.Kind != HandleKind.TypeReference) return string.Empty;
            var t = md.GetTypeReference((TypeReferenceHandle)h);
            return md.GetString(t.Namespace) + "." + md.GetString(t.Name);
        }
        var types = md.TypeReferences.Select(h => TypeName(h)).ToList();
        var members = md.MemberReferences.Select(h => md.GetMemberReference(h)).Select(m => TypeName(m.Parent) + "::" + md.GetString(m.Name)).ToList();

        Assert.Contains("System.Security.Cryptography.IncrementalHash", types);
        Assert.DoesNotContain(types, t => t.StartsWith("System.Security.Cryptography.", StringComparison.Ordinal) && t.EndsWith("Managed", StringComparison.Ordinal));
        Assert.DoesNotContain(members, m => m.StartsWith("System.Security.Cryptography.", StringComparison.Ordinal) && m.EndsWith("::Create", StringComparison.Ordinal));
    }
}
