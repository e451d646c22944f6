using System.Net;

namespace FacilityHub.Dashboard.History;

/// <summary>
/// The hub could not give the history asked for. <see cref="StatusCode"/> is null when it was not reached at all
/// (refused, timed out); otherwise <see cref="Title"/> and <see cref="Detail"/> are its problem details, which
/// name the parameter at fault.
/// </summary>
public sealed class HistoryRequestException : Exception
{
    public HistoryRequestException(string message, HttpStatusCode? statusCode, string? title, string? detail, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        Title = title;
        Detail = detail;
    }

    public HttpStatusCode? StatusCode { get; }

    public string? Title { get; }

    public string? Detail { get; }
}
