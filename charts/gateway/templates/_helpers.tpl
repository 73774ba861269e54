{{- define "gateway.name" -}}{{ .Values.name | default .Release.Name }}{{- end -}}
{{- /* As upstream: app and istio from labels, else from the name. */ -}}
{{- define "gateway.selectorLabels" -}}
app: {{ .Values.labels.app | default (include "gateway.name" .) | quote }}
istio: {{ .Values.labels.istio | default (include "gateway.name" . | trimPrefix "istio-") | quote }}
{{- end -}}
{{- define "gateway.labels" -}}
{{- range $k, $v := .Values.commonLabels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{ include "gateway.selectorLabels" . }}
{{- range $k, $v := .Values.labels }}
{{- if and (ne $k "app") (ne $k "istio") }}
{{ $k | quote }}: {{ $v | quote }}
{{- end }}
{{- end }}
{{- end -}}
