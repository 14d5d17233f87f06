using System.Text.Json.Serialization;
using Coffer.Core.Secrets;

namespace Coffer.Server.Rotation;

[JsonSerializable(typeof(RotationEvent))]
internal sealed partial class RotationJson : JsonSerializerContext;
