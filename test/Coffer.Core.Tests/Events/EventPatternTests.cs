using Coffer.Core;
using Coffer.Core.Events;

namespace Coffer.Core.Tests.Events;

/// <summary>The content-filtering examples of AWS's EventBridge user guide ("Content filtering in
/// Amazon EventBridge event patterns"), each with an event that matches and one that does not.</summary>
public sealed class EventPatternTests
{
    private const string ParameterEvent = """
        {"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-bf3703467718","detail-type":"Parameter Store Change","source":"aws.ssm",
         "account":"111122223333","time":"2017-10-02T18:43:48Z","region":"us-east-1","resources":["arn:aws:ssm:us-east-1:111122223333:parameter/app/prod/x"],
         "detail":{"operation":"Create","name":"/app/prod/x","type":"String","description":"","c-count":5,"d-count":3,"x-limit":301.8,
                   "state":"running","FileName":"image.PNG","source-ip":"10.0.0.123","tags":["blue","green"],"EventB":"EventBridge"}}
        """;

    [Theory]
    [InlineData("""{"source":["aws.ssm"]}""", true)]
    [InlineData("""{"source":["aws.kms"]}""", false)]
    [InlineData("""{"source":["aws.kms","aws.ssm"]}""", true)]
    [InlineData("""{"time":[{"prefix":"2017-10-02"}]}""", true)]
    [InlineData("""{"time":[{"prefix":"2017-10-03"}]}""", false)]
    [InlineData("""{"detail":{"name":[{"prefix":"/app/prod/"}]}}""", true)]
    [InlineData("""{"detail":{"name":[{"prefix":"/app/dev/"}]}}""", false)]
    [InlineData("""{"detail":{"EventB":[{"prefix":{"equals-ignore-case":"eventb"}}]}}""", true)]
    [InlineData("""{"detail":{"FileName":[{"suffix":".png"}]}}""", false)]
    [InlineData("""{"detail":{"FileName":[{"suffix":{"equals-ignore-case":".png"}}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"anything-but":"initializing"}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"anything-but":["stopped","running"]}]}}""", false)]
    [InlineData("""{"detail":{"x-limit":[{"anything-but":123}]}}""", true)]
    [InlineData("""{"detail":{"x-limit":[{"anything-but":301.8}]}}""", false)]
    [InlineData("""{"detail":{"state":[{"anything-but":{"prefix":"run"}}]}}""", false)]
    [InlineData("""{"detail":{"FileName":[{"anything-but":{"suffix":".txt"}}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"anything-but":{"equals-ignore-case":"RUNNING"}}]}}""", false)]
    [InlineData("""{"detail":{"name":[{"anything-but":{"wildcard":"*/prod/*"}}]}}""", false)]
    [InlineData("""{"detail":{"state":[{"equals-ignore-case":"RUNNING"}]}}""", true)]
    [InlineData("""{"detail":{"c-count":[{"numeric":[">",0,"<=",5]}],"d-count":[{"numeric":["<",10]}],"x-limit":[{"numeric":["=",301.8]}]}}""", true)]
    [InlineData("""{"detail":{"c-count":[{"numeric":[">",5]}]}}""", false)]
    [InlineData("""{"detail":{"state":[{"numeric":[">",0]}]}}""", false)]
    [InlineData("""{"detail":{"source-ip":[{"cidr":"10.0.0.0/24"}]}}""", true)]
    [InlineData("""{"detail":{"source-ip":[{"cidr":"10.0.1.0/24"}]}}""", false)]
    [InlineData("""{"detail":{"state":[{"exists":true}]}}""", true)]
    [InlineData("""{"detail":{"missing":[{"exists":false}]}}""", true)]
    [InlineData("""{"detail":{"state":[{"exists":false}]}}""", false)]
    [InlineData("""{"detail":{"missing":[{"exists":true}]}}""", false)]
    [InlineData("""{"detail":{"name":[{"wildcard":"/app/*/x"}]}}""", true)]
    [InlineData("""{"detail":{"name":[{"wildcard":"/app/*/y"}]}}""", false)]
    [InlineData("""{"detail":{"tags":["green"]}}""", true)]
    [InlineData("""{"detail":{"tags":["red"]}}""", false)]
    [InlineData("""{"detail":{"$or":[{"c-count":[{"numeric":[">",10]}]},{"d-count":[{"numeric":["<",5]}]}]}}""", true)]
    [InlineData("""{"detail":{"$or":[{"c-count":[{"numeric":[">",10]}]},{"state":["stopped"]}]}}""", false)]
    [InlineData("""{"source":["aws.ssm"],"$or":[{"detail-type":["KMS CMK Rotation"]},{"detail":{"operation":["Create"]}}]}""", true)]
    [InlineData("""{"source":["aws.ssm"],"detail":{"operation":["Delete"]}}""", false)]
    public void Documented_patterns_match_as_aws_describes(string pattern, bool expected) =>
        Assert.Equal(expected, EventPattern.Parse(pattern).Matches(ParameterEvent));

    [Theory]
    [InlineData("""{"source":"aws.ssm"}""")]
    [InlineData("""[]""")]
    [InlineData("""{}""")]
    [InlineData("""{"detail":{"x":[{"numeric":[">",5,"<",1]}]}}""")]
    [InlineData("""{"detail":{"x":[{"numeric":["!",5]}]}}""")]
    [InlineData("""{"detail":{"x":[{"unknown-op":"a"}]}}""")]
    [InlineData("""{"detail":{"x":[{"exists":"yes"}]}}""")]
    [InlineData("""{"$or":[{"a":["b"]}]}""")]
    [InlineData("""not json""")]
    public void Invalid_patterns_are_refused_with_InvalidEventPatternException(string pattern)
    {
        var error = Assert.Throws<CofferException>(() => EventPattern.Parse(pattern));
        Assert.Equal(EventErrors.Codes.InvalidEventPattern, error.Code);
    }
}
