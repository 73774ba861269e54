{{- define "gateway.name" -}}{{ .Values.name | default .Release.Name }}{{- end -}}
{{- define "gateway.podLabels" -}}
{{- $l := .Values.labels | default (dict "app" (include "gateway.name" .)) -}}
{{- range $k, $v := $l }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end -}}
{{- define "gateway.labels" -}}
{{- range $k, $v := .Values.commonLabels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- include "gateway.podLabels" . }}
{{- end -}}
